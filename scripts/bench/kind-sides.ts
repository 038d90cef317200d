// The kind Pod as the bench's two sides (--target kind): the base manifests as
// a Deployment of their own, podmates-bench, under their real CPU and memory
// limits, with one addition: an emptyDir both containers mount at
// /srv/podmates/bench, into which the bench's compiled scripts are copied
// (dist/ cannot be mounted from this host into a kind node's Pod). The
// measuring side runs in the app's container and the echo side in the
// sidecar's, with `kubectl exec`, so inside those containers' limits.
import { run } from '../lib/commands.js';
import { baseImages, buildImages, imageName } from '../lib/docker.js';
import { KindCluster, planCluster } from '../lib/kind.js';
import { holdNamespace } from '../lib/run-lease.js';
import { Kube, NAMESPACE } from '../lib/kube.js';
import { manifestPath, NAME_LABEL, renamed, renderDirectory, toYaml, type K8sObject } from '../lib/manifests.js';
import type { Progress } from '../lib/report.js';
import { statCpuSeconds, statusField } from './pod.js';
import type { RunningServices } from './service-load.js';
import { ExecSides, type Side, type Sides } from './sides.js';

const NAME = 'podmates-bench';
const MOUNT = '/srv/podmates/bench';
const CONTAINER: Record<Side, 'app' | 'sidecar'> = { client: 'app', peer: 'sidecar' };

/** The base manifests as podmates-bench, with the bench's emptyDir in both containers. */
export function benchManifests(base: readonly K8sObject[]): K8sObject[] {
  const objects = renamed(base, NAME);
  for (const object of objects) {
    if (object.kind !== 'Deployment') continue;
    const pod = (object.spec as { template: { spec: { volumes?: object[]; containers: Array<{ volumeMounts?: object[] }> } } }).template
      .spec;
    pod.volumes = [...(pod.volumes ?? []), { name: 'bench', emptyDir: { sizeLimit: '32Mi' } }];
    for (const container of pod.containers)
      container.volumeMounts = [...(container.volumeMounts ?? []), { name: 'bench', mountPath: MOUNT }];
  }
  return objects;
}

export class KindSides extends ExecSides implements Sides {
  readonly where = 'kind';
  readonly dist = `${MOUNT}/dist`;

  private constructor(
    private readonly kube: Kube,
    private readonly pod: string,
    /** Deleted afterwards: the cluster when the bench made it, else the namespace when it did. */
    private readonly made: { cluster: KindCluster | null; namespace: boolean },
    /** Lets go of the namespace's Lease (run-lease.ts). */
    private readonly release: () => Promise<void>,
  ) {
    super();
  }

  /**
   * On the kind cluster `name` (created, and deleted afterwards, when it does
   * not exist): builds and loads the images, deploys podmates-bench in the
   * namespace podmates (claimed as the demo claims it, and deleted
   * afterwards when the bench made it), copies the bench's scripts (from
   * `dist`) into its emptyDir.
   */
  static async create(name: string, dist: string, progress: Progress): Promise<KindSides> {
    const plan = await planCluster(undefined);
    const kind = new KindCluster(plan, name);
    const created = !(await kind.exists());
    if (created) {
      progress(`creating kind cluster ${name}`);
      await kind.create(progress);
    } else progress(`reusing kind cluster ${name}: ${await kind.reuse(progress)}`);
    await buildImages(await baseImages(progress), progress);
    progress('kind load docker-image');
    await kind.load([imageName('app'), imageName('sidecar')]);
    const kube = kind.kube();
    await kube.nodesReady();
    await kube.namespaceGone(progress);
    const namespace = await kube.claimNamespace('npm-run-bench');
    const release = await holdNamespace(kube, 'npm run bench', progress);
    await kube.kubectl(['apply', '-f', '-'], { input: toYaml(benchManifests(await renderDirectory(manifestPath('base')))) });
    progress(`waiting for the rollout of deployment/${NAME}`);
    await kube.rollout(NAME, 180);
    const pod = (await kube.podByLabel(`${NAME_LABEL}=${NAME}`)).name;
    // What the two sides run: the bench, the services' shared modules it imports, the C references.
    const files = ['scripts/bench', 'apps/shared'];
    await run(
      [
        'sh',
        '-c',
        `tar -C "${dist}" --exclude='*.map' -cf - ${files.join(' ')} | ${kube.command.join(' ')} -n ${NAMESPACE} exec -i ${pod} -c app -- sh -c 'mkdir -p ${MOUNT}/dist && tar -C ${MOUNT}/dist -xf -'`,
      ],
      { timeoutMs: 60_000 },
    );
    return new KindSides(kube, pod, { cluster: created ? kind : null, namespace: namespace === 'created' }, release);
  }

  protected exec(side: Side): string[] {
    return [...this.kube.command, '-n', NAMESPACE, 'exec', '-i', this.pod, '-c', CONTAINER[side], '--'];
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
    this.killChildren();
    await this.release();
    if (this.made.cluster) await this.made.cluster.delete();
    else if (this.made.namespace) await this.kube.deleteNamespace();
    else await this.kube.deleteApp(NAME, false);
  }
}
