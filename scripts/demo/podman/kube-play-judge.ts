// What `podman kube play` kept of the Pod's spec, read back with `podman
// inspect` (and /proc for seccomp): the hardening every container must keep
// is judged; what Podman changes or has no place for is said, as seen.
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import type { PodmanContainer } from '../../lib/podman-pod.js';

export interface PlayedContainer {
  inspect: PodmanContainer;
  /** "Seccomp:" of /proc/<pid>/status of its first process: 2 is a filter. */
  seccomp: string;
}

export interface PlayedPod {
  containers: Record<string, PlayedContainer>;
  /** The infra container's published ports: "8080/tcp" → "0.0.0.0:8080". */
  published: Record<string, string>;
}

export interface KubePlayVerdict {
  problems: string[];
  /** What Podman does otherwise than the kubelet, or not at all. */
  differences: string[];
}

const MEBI = 1024 * 1024;
const bytes = (quantity: string) => (quantity.endsWith('Mi') ? Number(quantity.slice(0, -2)) * MEBI : Number(quantity));
const cpus = (quantity: string) => (quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity));

/** The hardening of one container, each an expectation from the spec and whether podman kept it. */
function hardening(spec: IPodSpec, container: IContainer, seen: PlayedContainer): Array<[field: string, kept: boolean, as: string]> {
  const pod = spec.securityContext ?? {};
  const own = container.securityContext ?? {};
  const user = `${own.runAsUser ?? pod.runAsUser}:${own.runAsGroup ?? pod.runAsGroup}`;
  const checks: Array<[string, boolean, string]> = [
    [`runAsUser/runAsGroup ${user}`, seen.inspect.Config.User === user, seen.inspect.Config.User],
  ];
  if (own.readOnlyRootFilesystem)
    checks.push(['readOnlyRootFilesystem', seen.inspect.HostConfig.ReadonlyRootfs, 'a writable root file system']);
  if (own.capabilities?.drop?.includes('ALL'))
    checks.push(['capabilities.drop ALL', (seen.inspect.EffectiveCaps ?? []).length === 0, (seen.inspect.EffectiveCaps ?? []).join(',')]);
  if (own.allowPrivilegeEscalation === false)
    checks.push([
      'allowPrivilegeEscalation: false',
      (seen.inspect.HostConfig.SecurityOpt ?? []).includes('no-new-privileges'),
      'without no-new-privileges',
    ]);
  if ((own.seccompProfile ?? pod.seccompProfile)?.type === 'RuntimeDefault')
    checks.push(['seccompProfile RuntimeDefault', seen.seccomp === '2', `Seccomp: ${seen.seccomp} (2 is a filter)`]);
  return checks;
}

/** Judges the hardening; describes the rest: resources, probes, preStop, volumes, ports. */
export function judgeKubePlay(spec: IPodSpec, pod: PlayedPod): KubePlayVerdict {
  const problems: string[] = [];
  const differences: string[] = [];
  for (const container of spec.containers) {
    const seen = pod.containers[container.name];
    if (!seen) {
      problems.push(`kube play made no container for ${container.name}`);
      continue;
    }
    for (const [field, kept, as] of hardening(spec, container, seen))
      if (!kept) problems.push(`kube play did not keep the ${container.name}'s ${field}: podman runs it with ${as}`);
    const limits = container.resources?.limits ?? {};
    const memory = limits.memory === undefined ? null : bytes(String(limits.memory));
    if (memory !== null && seen.inspect.HostConfig.Memory !== memory)
      differences.push(`${container.name}: limits.memory ${String(limits.memory)} became ${seen.inspect.HostConfig.Memory} bytes`);
    const cpu = limits.cpu === undefined ? null : cpus(String(limits.cpu));
    const quota = seen.inspect.HostConfig.CpuPeriod ? seen.inspect.HostConfig.CpuQuota / seen.inspect.HostConfig.CpuPeriod : 0;
    if (cpu !== null && quota !== cpu)
      differences.push(`${container.name}: limits.cpu ${String(limits.cpu)} became a quota of ${quota} CPU`);
    for (const probe of ['startupProbe', 'readinessProbe'] as const)
      if (container[probe]) differences.push(`${container.name}: ${probe} ignored (Podman has no startup or readiness check)`);
    if (container.livenessProbe) {
      const test = seen.inspect.Config.Healthcheck?.Test.join(' ');
      differences.push(`${container.name}: livenessProbe ${test ? `became the healthcheck \`${test}\`` : 'ignored'}`);
    }
    if (container.lifecycle?.preStop)
      differences.push(`${container.name}: preStop has no place in podman inspect (the stop step measures it)`);
  }
  for (const volume of spec.volumes ?? []) {
    if (!volume.emptyDir) continue;
    const mounts = Object.values(pod.containers).flatMap((seen) => seen.inspect.Mounts);
    const mount = mounts.find((candidate) => candidate.Name === volume.name);
    if (mount?.Type === 'volume')
      differences.push(
        `emptyDir ${volume.name} became the named volume \`${volume.name}\` in ${mount.Source}: every Pod that names it shares it, ` +
          `and it outlives the Pod${volume.emptyDir.medium || volume.emptyDir.sizeLimit ? ' (its medium and sizeLimit ignored)' : ''}`,
      );
    else differences.push(`emptyDir ${volume.name} is mounted as ${mount ? mount.Type : 'nothing'}`);
  }
  for (const container of spec.containers)
    for (const port of container.ports ?? []) {
      const published = pod.published[`${port.containerPort}/${(port.protocol ?? 'TCP').toLowerCase()}`];
      if (published && port.hostPort === undefined)
        differences.push(
          `${container.name}: containerPort ${port.containerPort} is published on this machine's ${published}, though it has no hostPort`,
        );
    }
  return { problems, differences };
}
