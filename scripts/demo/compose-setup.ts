// The set-up of `npm run demo:compose` and its clean-up: Docker and compose,
// the images, the Pod (an infra container and two that join it) up until the
// app is ready; then the context the shared steps run in, and the compose
// demo's own steps: the start and stop order, and the clash (a third
// container on the app's port).
import { join } from 'node:path';
import { composeStartOrder, composeStopOrder } from './compose-lifecycle.js';
import { type NamespaceExpectation } from './judges/namespaces.js';
import { ComposePod } from '../lib/compose-pod.js';
import { baseImages, buildImages, composeCommand } from '../lib/docker.js';
import type { Progress, RunNotes } from '../lib/report.js';
import { HostSetup } from '../setup/host-setup.js';
import { checkClash, runtimeContext, type RuntimePod, type RuntimeStep } from './container-demo.js';
import type { DemoContext, PodTarget } from './context.js';

// Docker can join another container's network and IPC namespaces but not its
// UTS namespace (`--uts` takes only "host"): unlike in Kubernetes each
// container keeps a UTS namespace of its own (with the hostname copied).
const COMPOSE_NAMESPACES: NamespaceExpectation = { shared: ['net', 'ipc'], separate: ['pid', 'mnt'] };

export class ComposeSetup implements RuntimePod {
  readonly titles = {
    preflight: 'preflight: Docker and compose (Docker started when missing)',
    build: 'build the images',
    up: 'up: pause, sidecar and app, until the app is ready',
  };
  readonly before: RuntimeStep[] = [
    {
      title: "start order: `up` starts the app only once the sidecar's healthcheck has passed (depends_on with condition: service_healthy)",
      run: () => composeStartOrder(this.pod, this.report),
    },
  ];
  readonly after: RuntimeStep[] = [
    {
      title: 'clash: a third container on the app port fails with exit 98, the others keep running',
      run: () => checkClash(this.pod, ['pod', 'sidecar', 'app']),
    },
    {
      title: 'stop order: `stop` stops the app before the sidecar, the reverse of depends_on',
      // Stops the Pod and judges the stop order from the record the shared volume keeps.
      run: () => composeStopOrder(this.pod, this.report),
      stops: true,
    },
  ];
  private compose: string[] = [];
  private podOrNull: ComposePod | null = null;

  constructor(
    private readonly options: { project: string; overrides: string[]; keep: boolean; setUp: boolean; folder: string },
    /** Where the setup's facts, lines and the Pod's measured namespaces go. */
    private readonly report: RunNotes,
  ) {}

  private get pod(): ComposePod {
    if (!this.podOrNull) throw new Error('internal error: the Pod is not up');
    return this.podOrNull;
  }

  async preflight(progress: Progress): Promise<string> {
    const host = new HostSetup(this.options.setUp, progress);
    const server = await host.docker();
    this.compose = await composeCommand();
    return `Docker ${server}, ${this.compose.join(' ')}${host.said}`;
  }

  async build(progress: Progress): Promise<string> {
    const bases = await baseImages(progress);
    const sizes = await buildImages(bases, progress);
    this.report.fact('base images', `${bases.build}, ${bases.runtime} (${bases.origin})`);
    this.report.fact('image sizes (MB)', sizes);
    return `bases: ${bases.origin}; app ${sizes.app} MB, sidecar ${sizes.sidecar} MB, pause ${sizes.pause} MB`;
  }

  async up(progress: Progress): Promise<string> {
    this.podOrNull = new ComposePod(this.compose, this.options.project, this.options.overrides);
    await this.pod.down(); // a Pod left by an interrupted run
    const started = Date.now();
    await this.pod.up();
    await this.pod.waitUntilReady(progress);
    this.report.fact('up to ready (ms)', Date.now() - started);
    return `ready ${Date.now() - started} ms after up`;
  }

  /** The same steps as on Kubernetes, where Docker can run them; the others say why not. */
  async context(messages: number): Promise<DemoContext> {
    const pod = this.pod;
    const target: PodTarget = {
      probe: (where, options) => (where === 'outside' ? pod.probeFromOutside(options) : pod.probe(where, options)),
      address: await pod.podAddress(),
      outside: 'another container on the compose network',
      networkPlugin: async () => `Docker's bridge network ${this.options.project}_default (libnetwork, no CNI)`,
      appFromHere: async () => {
        const published = await pod.publishedAppPort();
        return { url: `http://${published}`, how: `the port the infra container publishes, ${published}`, close: () => undefined };
      },
    };
    return runtimeContext(target, COMPOSE_NAMESPACES, messages, this.report);
  }

  /** Logs and `docker inspect` when something failed; then down (--keep leaves it running). */
  async cleanUp(passed: boolean): Promise<void> {
    if (!this.podOrNull) return;
    if (!passed) {
      const folder = await this.podOrNull.saveArtifacts(join(this.options.folder, 'logs'));
      this.report.say(`\nLogs and container details saved in ${folder}`);
    }
    if (this.options.keep) {
      const page = await this.podOrNull.publishedAppPort().catch(() => null);
      this.report.say(
        `\nKept the Pod running${page ? `; its live page: http://${page}/` : ''}. To stop it: docker-compose -p ${this.options.project} --profile clash down`,
      );
    } else await this.podOrNull.down();
  }
}
