// The set-up of `npm run demo:podman` and its clean-up: Docker to build the
// images, Podman to run them (each installed when missing), the base
// manifests played with `kube play` until the app is ready; then the context
// the shared steps run in, and Podman's own steps: who holds the namespaces,
// what kube play kept, the clash, and how the Pod stops.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import type { IPodSpec } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { firstAt, LIFECYCLE_RECORD } from '../../../apps/shared/lifecycle.js';
import { readNamespaces } from '../../../apps/shared/namespaces.js';
import { ordersOf } from '../claims/native-sidecar/judge.js';
import { POD_NAMESPACES } from '../judges/namespaces.js';
import { judgeRoundTrip } from '../judges/round-trip.js';
import { assertCheck } from '../../lib/check-failed.js';
import { baseImages, buildImages } from '../../lib/docker.js';
import { manifestPath, renamed } from '../../lib/manifests.js';
import { patchedBase } from '../../lib/overlay-patches.js';
import { PLAYED, PodmanPod } from '../../lib/podman-pod.js';
import type { Progress, RunNotes } from '../../lib/report.js';
import { inBackground, pollUntil } from '../../lib/wait.js';
import { HostSetup } from '../../setup/host-setup.js';
import { ensurePodman, loadImagesIntoPodman } from '../../setup/podman.js';
import { checkClash, runtimeContext, type RuntimePod, type RuntimeStep } from '../container-demo.js';
import { APP, type DemoContext, type PodTarget } from '../context.js';
import { judgeInfraHolds } from './infra-judge.js';
import { judgeKubePlay } from './kube-play-judge.js';
import { judgeNativeSidecarRefused } from './native-sidecar-judge.js';
import { judgeRestart } from './restart-judge.js';
import { judgePodStop } from './pod-stop-judge.js';

/** The Deployment's name for the native-sidecar overlay, beside the base's. */
const NATIVE = 'podmates-native';

/** Ways to break the Pod on purpose (--broken), for the tests. */
export const BREAKAGES = ['sidecar-own-ipc'] as const;
export type Breakage = (typeof BREAKAGES)[number];

/** The Pod's spec as kube play reads it from manifests/base/deployment.yaml. */
function readBasePodSpec(): IPodSpec {
  const deployment = parse(readFileSync(join(manifestPath('base'), 'deployment.yaml'), 'utf8')) as {
    spec: { template: { spec: IPodSpec } };
  };
  return deployment.spec.template.spec;
}

export class PodmanSetup implements RuntimePod {
  /** Read once: the kube play step judges the hardening from it, the stop step its preStop. */
  private readonly basePodSpec = readBasePodSpec();
  readonly titles = {
    preflight: 'preflight: Docker to build the images, Podman to run them (each installed when missing)',
    build: 'build the images and load them into Podman (docker save | podman load)',
    up: 'kube play: the base ConfigMap and Deployment, until the app is ready',
  };
  readonly before: RuntimeStep[] = [
    {
      title: "infra: Podman's infra container (the project's pause image) holds the net, IPC and UTS namespaces both containers are in",
      run: () => this.infra(),
    },
    {
      title: 'kube play: the containers keep their hardening (podman inspect); what Podman does otherwise is listed',
      run: () => this.kubePlay(),
    },
  ];
  readonly after: RuntimeStep[] = [
    {
      title: 'clash: a third container in the Pod on the app port fails with exit 98, the others keep running',
      run: () => checkClash(this.pod, ['infra', 'sidecar', 'app']),
    },
    {
      title:
        "restart: the sidecar SIGKILLed from this machine, as the OOM killer would, is restarted by Podman in the Pod's namespaces; what was sent meanwhile waited in the queue",
      run: () => this.restart(),
    },
    {
      title:
        'native sidecar: kube play refuses manifests/overlays/native-sidecar (an init container with restartPolicy: Always and probes)',
      run: () => this.nativeSidecar(),
    },
    {
      title: "stop: `podman pod stop` signals both containers at once, no preStop; the sidecar outlasts the app's drain",
      run: () => this.stop(),
      stops: true,
    },
  ];
  private readonly pod: PodmanPod;

  constructor(
    private readonly options: { keep: boolean; setUp: boolean; folder: string; broken: Breakage | undefined },
    private readonly report: RunNotes,
  ) {
    this.pod = new PodmanPod(options.folder);
  }

  async preflight(progress: Progress): Promise<string> {
    const host = new HostSetup(this.options.setUp, progress);
    const docker = await host.docker();
    const podman = await ensurePodman(this.options.setUp, progress);
    if (podman.installed) host.done.push(podman.installed);
    return `Docker ${docker}, Podman ${podman.version}${host.said}`;
  }

  async build(progress: Progress): Promise<string> {
    const bases = await baseImages(progress);
    const sizes = await buildImages(bases, progress);
    const loaded = await loadImagesIntoPodman(progress);
    this.report.fact('image sizes (MB)', sizes);
    return `bases: ${bases.origin}; ${loaded.length ? `loaded into Podman: ${loaded.join(', ')}` : 'Podman had them all'}`;
  }

  async up(progress: Progress): Promise<string> {
    const started = Date.now();
    await this.pod.play();
    if (this.options.broken === 'sidecar-own-ipc') {
      progress('--broken sidecar-own-ipc: the sidecar again, in an IPC namespace of its own');
      await this.pod.sidecarInOwnIpc();
    }
    await this.pod.waitUntilReady(progress);
    this.report.fact('kube play to ready (ms)', Date.now() - started);
    return `Pod ${this.pod.name}, ready ${Date.now() - started} ms after kube play; containers.conf: ${this.pod.confFile}`;
  }

  private async processNamespaces(container: string) {
    return readNamespaces(`/proc/${(await this.pod.inspect(container)).State.Pid}`);
  }

  private async infra(): Promise<string> {
    const [infra, app, sidecar] = await Promise.all(['infra', 'app', 'sidecar'].map((name) => this.processNamespaces(name)));
    assertCheck('infra', judgeInfraHolds({ infra: infra!, app: app!, sidecar: sidecar! }));
    const image = (await this.pod.podman$(['inspect', '--format', '{{.ImageName}}', await this.pod.container('infra')])).stdout.trim();
    return `${image} holds ${infra!.net}, ${infra!.ipc}, ${infra!.uts}; each container has its own pid and mnt namespaces`;
  }

  private async kubePlay(): Promise<string> {
    const spec = this.basePodSpec;
    const containers = Object.fromEntries(
      await Promise.all(
        spec.containers.map(async ({ name }) => {
          const inspect = await this.pod.inspect(name);
          const status = readFileSync(`/proc/${inspect.State.Pid}/status`, 'utf8');
          return [name, { inspect, seccomp: /^Seccomp:\s*(\d+)/m.exec(status)?.[1] ?? 'unknown' }] as const;
        }),
      ),
    );
    const { problems, differences } = judgeKubePlay(spec, { containers, published: await this.pod.publishedPorts() });
    // Start order: with no startup probe, nothing makes the app wait for the sidecar.
    const record = await this.pod.probe('app').lifecycle(LIFECYCLE_RECORD);
    this.report.lifecycle('podman: the Pod as kube play started it', record, new Date().toISOString());
    const { start } = ordersOf(record);
    const sidecarStarted = firstAt(record, 'sidecar', 'starting');
    if (start.appProcessStarted !== undefined && sidecarStarted !== undefined) {
      const gap = start.appProcessStarted - sidecarStarted;
      differences.push(
        `start order: the app's process started ${Math.abs(gap)} ms ${gap < 0 ? 'before' : 'after'} the sidecar's` +
          (start.sidecarFirstAnswered !== undefined && start.sidecarFirstAnswered < start.appProcessStarted
            ? ', after the sidecar first answered'
            : ', before the sidecar first answered: nothing made it wait'),
      );
    }
    differences.forEach((difference, index) => this.report.fact(`podman difference ${index + 1}`, difference));
    assertCheck('kube play', problems);
    return `user, read-only root, no capabilities, no-new-privileges and seccomp kept in both containers; ${differences.length} differences: ${differences.join('; ')}`;
  }

  /** The same steps as on Kubernetes, where Podman can run them; the others say why not. */
  async context(messages: number): Promise<DemoContext> {
    const pod = this.pod;
    const target: PodTarget = {
      probe: (where, options) => (where === 'outside' ? pod.probeFromOutside(options) : pod.probe(where, options)),
      address: await pod.podAddress(),
      outside: "another container on Podman's network",
      networkPlugin: () => pod.network(),
      appFromHere: async () => {
        const published = (await pod.publishedPorts())['8080/tcp'];
        if (!published) throw new Error("the Pod's infra container publishes no 8080/tcp");
        const port = published.split(':').at(-1)!;
        return { url: `http://127.0.0.1:${port}`, how: `the port kube play published, ${published}`, close: () => undefined };
      },
    };
    // A Podman Pod shares net, IPC and UTS through its infra container, as a Kubernetes Pod does through its sandbox.
    return runtimeContext(target, POD_NAMESPACES, messages, this.report);
  }

  /** 100 messages paced over about three seconds, the sidecar's process killed half a second in. */
  private async restart(): Promise<string> {
    const before = await this.pod.inspect('sidecar');
    const namespaces = await readNamespaces(`/proc/${before.State.Pid}`);
    const sending = inBackground(this.pod.probe('app').roundtrip(APP, 100, 60_000, 30));
    await sleep(500);
    const killedAt = Date.now();
    process.kill(before.State.Pid, 'SIGKILL');
    const result = await sending;
    let after = before;
    await pollUntil(
      async () => {
        after = await this.pod.inspect('sidecar');
        return after.State.Running && after.State.Pid !== before.State.Pid;
      },
      { timeoutMs: 30_000, what: 'Podman to restart the sidecar' },
    );
    const startedAt = Date.parse(after.State.StartedAt);
    const { problems, waited } = judgeRestart({
      before: namespaces,
      after: await readNamespaces(`/proc/${after.State.Pid}`),
      killedAt,
      startedAt,
      delivered: result.delivered,
    });
    assertCheck('restart', [...judgeRoundTrip(result, 100), ...problems]);
    return `sidecar down ${startedAt - killedAt} ms, back in ${namespaces.ipc} and ${namespaces.net}; ${waited} messages accepted meanwhile waited in the Pod's queue and were processed after the restart`;
  }

  /** The overlay played beside the Pod, renamed: its volumes are the Pod's, so only the Pod it may have made is removed. */
  private async nativeSidecar(): Promise<string> {
    const native = new PodmanPod(this.options.folder, NATIVE);
    try {
      const { problems, said } = judgeNativeSidecarRefused(await native.tryPlay(renamed(patchedBase('native-sidecar', PLAYED), NATIVE)));
      assertCheck('native sidecar', problems);
      return said;
    } finally {
      await native.remove();
    }
  }

  /** Stops the Pod, then reads the record from the `shared` volume, which outlives the containers. */
  private async stop(): Promise<string> {
    const asked = Date.now();
    await this.pod.stop();
    const took = Date.now() - asked;
    const record = await this.pod.probeVolume('shared', '/shared').lifecycle(LIFECYCLE_RECORD);
    this.report.lifecycle('podman: the Pod from kube play to `pod stop`', record);
    const preStop = this.basePodSpec.containers.find(({ name }) => name === 'app')?.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const verdict = judgePodStop({ asked, preStopSeconds: Number(preStop), record });
    assertCheck('stop', verdict.problems);
    return (
      `\`pod stop\` took ${took} ms: SIGTERM to the sidecar ${verdict.sidecarSigterm} ms and to the app ${verdict.appSigterm} ms after it ` +
      `(the manifest's preStop sleeps ${preStop} s); the sidecar stopped ${verdict.sidecarAfterApp} ms after the app`
    );
  }

  /** Logs and `podman inspect` when something failed; then `kube down` (--keep leaves it running). */
  async cleanUp(passed: boolean): Promise<void> {
    if (!passed) {
      const folder = await this.pod.saveArtifacts(join(this.options.folder, 'logs'));
      this.report.say(`\nLogs and container details saved in ${folder}`);
    }
    if (this.options.keep) {
      this.report.say(
        `\nKept the Pod running (${this.pod.name}). To remove it and its volumes: CONTAINERS_CONF=${this.pod.confFile} podman kube down ${this.pod.playFile}`,
      );
    } else await this.pod.down();
  }
}
