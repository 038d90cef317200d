// The kind Pod as the bench's two sides (--target kind): the base manifests as
// a Deployment of their own, podmates-bench, under their real CPU and memory
// limits, with one addition: an emptyDir both containers mount at
// /srv/podmates/bench, into which the bench's compiled scripts are copied
// (dist/ cannot be mounted from this host into a kind node's Pod). The
// measuring side runs in the app's container and the echo side in the
// sidecar's, with `kubectl exec`, so inside those containers' limits.
import { spawn, type ChildProcess } from 'node:child_process';
import { run } from '../lib/commands.js';
import { baseImages, buildImages, imageName } from '../lib/docker.js';
import { KindCluster, planCluster } from '../lib/kind.js';
import { Kube, NAMESPACE } from '../lib/kube.js';
import { manifestPath, NAME_LABEL, renamed, renderDirectory, toYaml, type K8sObject } from '../lib/manifests.js';
import type { Progress } from '../lib/report.js';
import { statCpuSeconds, statusField } from './pod.js';
import type { RunningServices } from './service-load.js';
import type { Side, Sides } from './sides.js';

const NAME = 'podmates-bench';
const MOUNT = '/srv/podmates/bench';
const CONTAINER: Record<Side, 'app' | 'sidecar'> = { client: 'app', peer: 'sidecar' };

/** The base manifests as podmates-bench, with the bench's emptyDir in both containers. */
export function benchManifests(base: readonly K8sObject[]): K8sObject[] {
  const objects = renamed(base, NAME);
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const pod = (object.spec as { template: { spec: { volumes?: object[]; containers: Array<{ volumeMounts?: object[] }> } } }).template.spec;
    pod.volumes = [...(pod.volumes ?? []), { name: 'bench', emptyDir: { sizeLimit: '32Mi' } }];
    for (const container of pod.containers) container.volumeMounts = [...(container.volumeMounts ?? []), { name: 'bench', mountPath: MOUNT }];
  }
  return objects;
}

export class KindSides implements Sides {
  readonly where = 'kind';
  readonly dist = `${MOUNT}/dist`;
  readonly node = 'node';
  private readonly children = new Set<ChildProcess>();

  private constructor(
    private readonly kube: Kube,
    private readonly pod: string,
    private readonly cluster: KindCluster | null,
  ) {}

  /**
   * On the kind cluster `name` (created, and deleted afterwards, when it does
   * not exist): builds and loads the images, deploys podmates-bench, copies
   * the bench's scripts (from `dist`) into its emptyDir.
   */
  static async create(name: string, dist: string, progress: Progress): Promise<KindSides> {
    const plan = await planCluster(undefined);
    const kind = new KindCluster(plan, name);
    const created = !(await kind.exists());
    if (created) {
      progress(`creating kind cluster ${name}`);
      await kind.create(progress);
    }
    await buildImages(await baseImages(progress), progress);
    progress('kind load docker-image');
    await kind.load([imageName('app'), imageName('sidecar')]);
    const kube = new Kube(kind.context);
    await kube.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], { timeoutMs: 190_000 });
    await kube.kubectl(['apply', '-f', '-'], { input: toYaml(benchManifests(await renderDirectory(manifestPath('base')))) });
    progress(`waiting for the rollout of deployment/${NAME}`);
    await kube.rollout(NAME, 180);
    const pod = (await kube.podByLabel(`${NAME_LABEL}=${NAME}`)).name;
    // What the two sides run: the bench, the services' shared modules it imports, the C references.
    const files = ['scripts/bench', 'apps/shared'];
    await run(['sh', '-c', `tar -C "${dist}" --exclude='*.map' -cf - ${files.join(' ')} | kubectl --context ${kind.context} -n ${NAMESPACE} exec -i ${pod} -c app -- sh -c 'mkdir -p ${MOUNT}/dist && tar -C ${MOUNT}/dist -xf -'`], { timeoutMs: 60_000 });
    return new KindSides(kube, pod, created ? kind : null);
  }

  run(side: Side, argv: string[], env: Record<string, string> = {}, cpu?: number): ChildProcess {
    const variables = Object.entries({ ...env, BENCH_EXIT_ON_STDIN_END: '1' }).map(([name, value]) => `${name}=${value}`);
    const pinned = cpu === undefined ? [] : ['taskset', '--cpu-list', String(cpu)];
    // -i: when this kubectl is killed, the process's stdin ends inside the container, and a peer exits then.
    const args = ['--context', this.kube.context, '-n', NAMESPACE, 'exec', '-i', this.pod, '-c', CONTAINER[side], '--', 'env', ...variables, ...pinned, ...argv];
    const child = spawn('kubectl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  sharedDir(): string {
    return MOUNT;
  }

  /** The Pod's own services; each is PID 1 of its container, read through kubectl exec. */
  async services(): Promise<RunningServices> {
    const stats = async (service: 'app' | 'sidecar') => {
      const out = await this.kube.exec(this.pod, service, ['cat', '/proc/1/stat', '/proc/1/status']);
      const [stat = '', ...status] = out.stdout.split('\n');
      return { cpuSeconds: statCpuSeconds(stat), peakRssKiB: statusField(status.join('\n'), 'VmHWM') };
    };
    return { stats, stop: async () => {} };
  }

  async dispose(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    if (this.cluster) await this.cluster.delete();
    else await this.kube.deleteApp(NAME, false);
  }
}
