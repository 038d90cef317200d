// The set-up of `npm run demo:compose` and its clean-up: Docker and compose,
// the images, the Pod (an infra container and two that join it) up until the
// app is ready; then the context the shared steps run in, and the compose
// demo's own clash (a third container on the app's port).
import { join } from 'node:path';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { assertCheck, judgeClash, type NamespaceExpectation } from '../lib/checks.js';
import { ComposePod } from '../lib/compose-pod.js';
import { baseImages, buildImages, composeCommand } from '../lib/docker.js';
import type { Progress } from '../lib/report.js';
import { HostSetup } from '../setup/host-setup.js';
import type { DemoContext } from './context.js';

// Docker can join another container's network and IPC namespaces but not its
// UTS namespace (`--uts` takes only "host"): unlike in Kubernetes each
// container keeps a UTS namespace of its own (with the hostname copied).
const COMPOSE_NAMESPACES: NamespaceExpectation = { shared: ['net', 'ipc'], separate: ['pid', 'mnt'] };

type Fact = (name: string, value: unknown) => void;
type Say = (line: string) => void;

export class ComposeSetup {
  private compose: string[] = [];
  private podOrNull: ComposePod | null = null;

  constructor(
    private readonly options: { project: string; overrides: string[]; keep: boolean; setUp: boolean; folder: string },
    private readonly fact: Fact,
    private readonly say: Say,
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
    this.fact('base images', `${bases.build}, ${bases.runtime} (${bases.origin})`);
    this.fact('image sizes (MB)', sizes);
    return `bases: ${bases.origin}; app ${sizes.app} MB, sidecar ${sizes.sidecar} MB, pause ${sizes.pause} MB`;
  }

  async up(progress: Progress): Promise<string> {
    this.podOrNull = new ComposePod(this.compose, this.options.project, this.options.overrides);
    await this.pod.down(); // a Pod left by an interrupted run
    const started = Date.now();
    await this.pod.up();
    await this.pod.waitUntilReady(progress);
    this.fact('up to ready (ms)', Date.now() - started);
    return `ready ${Date.now() - started} ms after up`;
  }

  /** The same steps as on Kubernetes, where Docker can run them; the others say why not. */
  async context(messages: number): Promise<DemoContext> {
    const pod = this.pod;
    const target = {
      probeIn: (container: 'app' | 'sidecar', ...args: string[]) => pod.probe(container, ...args),
      probeOutside: (...args: string[]) => pod.probeFromOutside(...args),
      address: await pod.podAddress(),
      outside: 'another container on the compose network',
      networkPlugin: async () => `Docker's bridge network ${this.options.project}_default (libnetwork, no CNI)`,
      appFromHere: async () => {
        const published = await pod.publishedAppPort();
        return { url: `http://${published}`, how: `the port the infra container publishes, ${published}`, close: () => undefined };
      },
    };
    return { messages, expectedNamespaces: COMPOSE_NAMESPACES, target: async () => target, fact: this.fact, k8s: null };
  }

  async clash(): Promise<string> {
    const clash = await this.pod.runClash();
    const problems = judgeClash({ ...clash, port: 8080 }, ExitCode.portInUse);
    for (const service of ['pod', 'sidecar', 'app'])
      if (!(await this.pod.isRunning(service))) problems.push(`${service} stopped during the clash`);
    assertCheck('clash', problems);
    return `exit ${clash.exitCode}: "address already in use"`;
  }

  /** Logs and `docker inspect` when something failed; then down (--keep leaves it running). */
  async cleanUp(passed: boolean): Promise<void> {
    if (!this.podOrNull) return;
    if (!passed) {
      const folder = await this.podOrNull.saveArtifacts(join(this.options.folder, 'logs'));
      this.say(`\nLogs and container details saved in ${folder}`);
    }
    if (this.options.keep) {
      const page = await this.podOrNull.publishedAppPort().catch(() => null);
      this.say(
        `\nKept the Pod running${page ? `; its live page: http://${page}/` : ''}. To stop it: docker-compose -p ${this.options.project} --profile clash down`,
      );
    } else await this.podOrNull.down();
  }
}
