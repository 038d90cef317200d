// The Podman Pod as the harness sees it: the base manifests played with
// `podman kube play`, looked at from inside with the probe and from another
// container on Podman's network, inspected, stopped and removed. Every podman
// command runs with the demo's own containers.conf (CONTAINERS_CONF): the
// infra container is the project's pause image, which no registry has to give.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probeClient, type ProbeClient } from '../../apps/probe/client.js';
import { PROBE_COMMAND, type ProbeOptions } from '../../apps/probe/contract.js';
import { run, type Output } from './commands.js';
import { imageName, type Target } from './docker.js';
import { manifestPath, toYaml, type K8sObject } from './manifests.js';
import type { Progress } from './report.js';
import { pollUntil } from './wait.js';

/** How long `pod stop` gives each container after SIGTERM before SIGKILL, as in the compose demo. */
const STOP_TIMEOUT_S = '5';

/** The network `kube play` puts its pods on, made on first use. */
const KUBE_NETWORK = 'podman-default-kube-network';

/** The emptyDirs of manifests/base/deployment.yaml, which kube play makes named volumes. */
const VOLUMES = ['shared', 'state'];

/** The base kustomization's files that `kube play` reads: it skips the kinds it does not know (Namespace, Service) with a notice. */
export const PLAYED = ['configmap.yaml', 'deployment.yaml'];

/** A resource limit of this process (from /proc/self/limits): its hard limit, e.g. "Max open files". */
function hardLimit(limits: string, name: string): string {
  const line = limits.split('\n').find((candidate) => candidate.startsWith(name));
  const hard = line?.slice(name.length).trim().split(/\s+/)[1];
  if (!hard) throw new Error(`no "${name}" in /proc/self/limits`);
  return hard;
}

/** The most processes a container gets: rootful Podman 4.3 runs with this hard limit itself (seen in /proc/<podman>/limits). */
const PODMAN_NPROC = 32768;

/**
 * The containers.conf of every podman command here: the infra image is ours,
 * and the containers' limits of open files and processes are ones Podman can
 * set. It asks for 1,048,576 of each by default, which fails ("error setting
 * rlimit type 7: operation not permitted") where its hard limit is lower and
 * it lacks CAP_SYS_RESOURCE to raise it, as in CI's sandbox; so this
 * process's own hard limits, at most PODMAN_NPROC processes. The rest is
 * Podman's defaults.
 */
export function containersConf(limits = readFileSync('/proc/self/limits', 'utf8')): string {
  const files = hardLimit(limits, 'Max open files');
  const processes = Math.min(Number(hardLimit(limits, 'Max processes')), PODMAN_NPROC);
  return `# Written by npm run demo:podman (scripts/lib/podman-pod.ts).
[containers]
default_ulimits = ["nofile=${files}:${files}", "nproc=${processes}:${processes}"]
[engine]
# Podman's default infra image comes from a registry.
infra_image = "${localImage('pause')}"
`;
}

/** An image the demo built, as `podman load` names it. */
export const localImage = (target: Target) => `localhost/${imageName(target)}`;

/** What `podman container inspect` says of a container: the fields the demo reads. */
export interface PodmanContainer {
  State: { Pid: number; Running: boolean; StartedAt: string };
  Config: { User: string; Env: string[]; Healthcheck?: { Test: string[] } };
  HostConfig: { ReadonlyRootfs: boolean; SecurityOpt: string[] | null; Memory: number; CpuQuota: number; CpuPeriod: number };
  EffectiveCaps: string[] | null;
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string }>;
  NetworkSettings?: { IPAddress?: string; Networks?: Record<string, { IPAddress: string }> };
}

export class PodmanPod {
  /** The Deployment's one Pod: `kube play` names it <deployment>-pod-0, its containers <pod>-<container>. */
  readonly name: string;
  /** Whether play() made KUBE_NETWORK, which down() then removes. */
  private madeNetwork = false;
  /** Whether play() got as far as `kube play`. */
  private played = false;
  /** The YAML it played (the base ConfigMap and Deployment for the demo's Pod), which `kube down` reads. */
  readonly playFile: string;

  constructor(
    private readonly folder: string,
    deployment = 'podmates',
  ) {
    this.name = `${deployment}-pod-0`;
    this.playFile = join(folder, `${deployment}.kube-play.yaml`);
  }

  get confFile(): string {
    return join(this.folder, 'containers.conf');
  }

  podman$(args: string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<Output> {
    return run(['podman', ...args], { timeoutMs: 180_000, ...options, env: { CONTAINERS_CONF: this.confFile } });
  }

  /**
   * `podman kube play` of the base manifests. Its emptyDirs become named
   * volumes ("shared", "state"), which `kube down` removes when the play made
   * them: a Pod of this name left by an interrupted run is taken down first,
   * and an existing volume of those names stops the demo rather than being
   * mounted into the Pod with what it holds (`kube down` leaves such a one).
   */
  async play(): Promise<void> {
    mkdirSync(this.folder, { recursive: true });
    writeFileSync(this.confFile, containersConf());
    writeFileSync(this.playFile, PLAYED.map((file) => readFileSync(join(manifestPath('base'), file), 'utf8')).join('---\n'));
    if ((await this.podman$(['pod', 'exists', this.name], { allowFailure: true })).exitCode === 0) await this.takeDown();
    for (const volume of VOLUMES)
      if ((await this.podman$(['volume', 'exists', volume], { allowFailure: true })).exitCode === 0)
        throw new Error(
          `a Podman volume named ${volume} exists: kube play would mount it into the Pod as its emptyDir, with what it holds; remove it (\`podman volume rm ${volume}\`) if it is not yours to keep`,
        );
    const network = await this.podman$(['network', 'exists', KUBE_NETWORK], { allowFailure: true });
    this.madeNetwork = network.exitCode !== 0;
    // From here on the volumes are the play's, and down() may take them away.
    this.played = true;
    this.forget();
    await this.podman$(['kube', 'play', this.playFile]);
  }

  /** `podman kube play` of these objects, to see whether Podman takes them: its output, failed or not. */
  async tryPlay(objects: readonly K8sObject[]): Promise<Output> {
    writeFileSync(this.playFile, toYaml(objects));
    return this.podman$(['kube', 'play', this.playFile], { allowFailure: true });
  }

  /** Removes the Pod and its containers, and no volume: for a Pod played beside the demo's, whose volumes it names too. */
  async remove(): Promise<void> {
    this.forget();
    await this.podman$(['pod', 'rm', '--force', '--ignore', this.name]);
  }

  /** The broken Pod of the tests: the sidecar again, as `podman run --pod` in an IPC namespace of its own. */
  async sidecarInOwnIpc(): Promise<void> {
    const sidecar = await this.inspect('sidecar');
    const name = await this.container('sidecar');
    await this.podman$(['rm', '--force', name]);
    const env = sidecar.Config.Env.flatMap((variable) => ['--env', variable]);
    const hardened = ['--user', sidecar.Config.User, '--read-only', '--cap-drop', 'all', '--security-opt', 'no-new-privileges'];
    const mounts = sidecar.Mounts.flatMap((mount) => ['--volume', `${mount.Name}:${mount.Destination}`]);
    await this.podman$([
      'run',
      '--detach',
      '--pod',
      this.name,
      '--ipc',
      'private',
      '--name',
      name,
      ...env,
      ...hardened,
      ...mounts,
      localImage('sidecar'),
    ]);
  }

  /** A container of the Pod by its name in the manifest; "infra" is the one Podman adds, named after the Pod's ID. */
  async container(name: string): Promise<string> {
    if (name !== 'infra') return `${this.name}-${name}`;
    return (this.infra ??= this.remembered(async () => {
      const id = (await this.podman$(['pod', 'inspect', '--format', '{{.InfraContainerID}}', this.name])).stdout.trim();
      if (!id) throw new Error(`podman pod ${this.name} has no infra container`);
      return id;
    }));
  }

  /** What does not change while the Pod lives (its infra container, its network), read once; play and take-down forget it. */
  private infra: Promise<string> | null = null;
  private networkOfPod: Promise<string> | null = null;

  /** `read`, kept unless it fails (a failed read is asked again next time). */
  private remembered(read: () => Promise<string>): Promise<string> {
    return read().catch((error: unknown) => {
      this.forget();
      throw error;
    });
  }

  private forget(): void {
    this.infra = null;
    this.networkOfPod = null;
  }

  /** Waits until the app answers its readiness probe inside the Pod (its queues open, the sidecar reachable). */
  async waitUntilReady(progress: Progress): Promise<void> {
    await pollUntil(async () => (await this.probe('app').http('GET', 'http://127.0.0.1:8080/readyz')).status === 200, {
      timeoutMs: 60_000,
      what: 'the app to be ready (GET /readyz)',
      progress,
    });
  }

  /** The probe inside a container of the Pod (its namespaces), through podman exec. */
  probe(container: string, options: ProbeOptions = {}): ProbeClient {
    return probeClient(async (words) => {
      const output = await this.podman$(['exec', await this.container(container), ...PROBE_COMMAND, ...words], { timeoutMs: 120_000 });
      return JSON.parse(output.stdout) as unknown;
    }, options);
  }

  /** The probe in a new container of the app's image, as the services' UID, with these `podman run` options. */
  private probeInNewContainer(runOptions: () => Promise<string[]>, options: ProbeOptions = {}): ProbeClient {
    return probeClient(async (words) => {
      const user = ['--user', '10001:10001'];
      const output = await this.podman$(['run', '--rm', ...(await runOptions()), ...user, localImage('app'), ...PROBE_COMMAND, ...words], {
        timeoutMs: 60_000,
      });
      return JSON.parse(output.stdout) as unknown;
    }, options);
  }

  /** The probe in a new container on Podman's network: outside the Pod, like another Pod. */
  probeFromOutside(options: ProbeOptions = {}): ProbeClient {
    return this.probeInNewContainer(async () => ['--network', await this.networkName()], options);
  }

  /** The probe in a new container on no network with a volume of the Pod read-only: it outlives the Pod's containers. */
  probeVolume(volume: string, path: string): ProbeClient {
    return this.probeInNewContainer(async () => ['--network', 'none', '--volume', `${volume}:${path}:ro`]);
  }

  async inspect(container: string): Promise<PodmanContainer> {
    const name = await this.container(container);
    const [inspected] = JSON.parse((await this.podman$(['container', 'inspect', name])).stdout) as PodmanContainer[];
    if (!inspected) throw new Error(`podman container inspect ${name} printed no container`);
    return inspected;
  }

  /** The infra container's address on Podman's network: the Pod's IP. */
  async podAddress(): Promise<string> {
    const infra = await this.inspect('infra');
    const address = Object.values(infra.NetworkSettings?.Networks ?? {})[0]?.IPAddress || infra.NetworkSettings?.IPAddress;
    if (!address) throw new Error(`the infra container of ${this.name} has no IP address`);
    return address;
  }

  /** The Podman network the Pod is on: kube play makes one of its own (podman-default-kube-network). */
  async networkName(): Promise<string> {
    return (this.networkOfPod ??= this.remembered(async () => {
      const [name] = Object.keys((await this.inspect('infra')).NetworkSettings?.Networks ?? {});
      if (!name) throw new Error(`the infra container of ${this.name} is on no Podman network`);
      return name;
    }));
  }

  /** The network the Pod is on and what made it: Podman's network backend, netavark or CNI. */
  async network(): Promise<string> {
    const backend = (await this.podman$(['info', '--format', '{{.Host.NetworkBackend}}'])).stdout.trim();
    return `Podman's network ${await this.networkName()} (its ${backend} backend), no Kubernetes network plugin`;
  }

  /** The Pod's published ports, as its infra container has them: "8080/tcp" → "0.0.0.0:8080". */
  async publishedPorts(): Promise<Record<string, string>> {
    const format = '{{json .InfraConfig.PortBindings}}';
    const bindings = JSON.parse((await this.podman$(['pod', 'inspect', '--format', format, this.name])).stdout) as Record<
      string,
      Array<{ HostIp: string; HostPort: string }> | null
    > | null;
    return Object.fromEntries(
      Object.entries(bindings ?? {}).flatMap(([port, hosts]) =>
        (hosts ?? []).slice(0, 1).map(({ HostIp, HostPort }) => [port, `${HostIp || '0.0.0.0'}:${HostPort}`]),
      ),
    );
  }

  async isRunning(container: string): Promise<boolean> {
    return (await this.inspect(container)).State.Running;
  }

  /** `podman pod stop`: SIGTERM to the Pod's containers (SIGKILL after STOP_TIMEOUT_S); the Pod and its volumes stay. */
  async stop(): Promise<void> {
    await this.podman$(['pod', 'stop', '--time', STOP_TIMEOUT_S, this.name]);
  }

  /** A third container in the Pod that wants the app's port: its exit code and log. */
  async runClash(): Promise<{ exitCode: number | null; output: string }> {
    const name = await this.container('clash');
    await this.podman$(['rm', '--force', '--ignore', name]);
    // With the app's volumes, as compose's clash: it must fail before it writes to the journal they share.
    const volumes = ['--volumes-from', await this.container('app')];
    const started = await this.podman$([
      'run',
      '--detach',
      '--pod',
      this.name,
      '--name',
      name,
      ...volumes,
      '--user',
      '10001:10001',
      localImage('app'),
    ]);
    const id = started.stdout.trim();
    const exitCode = Number((await this.podman$(['wait', id], { timeoutMs: 60_000 })).stdout.trim());
    const logs = await this.podman$(['logs', id]);
    await this.podman$(['rm', '--force', id]);
    return { exitCode: Number.isNaN(exitCode) ? null : exitCode, output: logs.stdout + logs.stderr };
  }

  /**
   * Removes the Pod, its containers and the volumes `kube play` made for it,
   * and its network when the play made that too; nothing when play() stopped
   * before playing.
   */
  async down(): Promise<void> {
    if (this.played) await this.takeDown();
  }

  private async takeDown(): Promise<void> {
    this.forget();
    await this.podman$(['kube', 'down', this.playFile], { allowFailure: true });
    await this.podman$(['pod', 'rm', '--force', '--ignore', this.name]);
    if (this.madeNetwork) await this.podman$(['network', 'rm', KUBE_NETWORK], { allowFailure: true });
  }

  /** Saves what a person needs to see why a step failed; returns the folder. */
  async saveArtifacts(folder: string): Promise<string> {
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'podman-pod-inspect.json'),
      (await this.podman$(['pod', 'inspect', this.name], { allowFailure: true })).stdout,
    );
    for (const container of ['infra', 'sidecar', 'app']) {
      const name = await this.container(container).catch(() => container);
      const logs = await this.podman$(['logs', name], { allowFailure: true });
      writeFileSync(join(folder, `${container}.log`), logs.stdout + logs.stderr);
      writeFileSync(join(folder, `${container}.inspect.json`), (await this.podman$(['inspect', name], { allowFailure: true })).stdout);
    }
    return folder;
  }
}
