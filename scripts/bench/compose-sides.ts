// The compose Pod as the bench's two sides (--target compose): docker-compose.yml
// up as `npm run demo:compose` brings it, plus scripts/bench/compose-bench.yml.
// The measuring side runs in the app's container and the echo side in the
// sidecar's, with `docker exec` as the containers' own user, pinned the same
// way as in the box; the real services keep running beside them.
import { run } from '../lib/commands.js';
import { ComposePod } from '../lib/compose-pod.js';
import { baseImages, buildImages, composeCommand } from '../lib/docker.js';
import type { Progress } from '../lib/report.js';
import { statsOf, type RunningServices } from './service-load.js';
import { ExecSides, type Side, type Sides } from './sides.js';

/** Where compose-bench.yml mounts dist/, below the image's /srv/podmates with its node_modules. */
const MOUNTED_DIST = '/srv/podmates/bench/dist';
const PROJECT = 'podmates-bench';

export class ComposeSides extends ExecSides implements Sides {
  readonly where = 'compose';
  readonly dist = MOUNTED_DIST;

  private constructor(
    private readonly pod: ComposePod,
    private readonly containers: Record<Side, string>,
  ) {
    super();
  }

  /** Builds the images (cached), brings the Pod up and waits until the app is ready. */
  static async create(progress: Progress): Promise<ComposeSides> {
    await buildImages(await baseImages(progress), progress);
    const pod = new ComposePod(await composeCommand(), PROJECT, ['scripts/bench/compose-bench.yml']);
    await pod.down(); // one an interrupted run left
    await pod.up();
    await pod.waitUntilReady(progress);
    return new ComposeSides(pod, { client: await pod.containerId('app'), peer: await pod.containerId('sidecar') });
  }

  protected exec(side: Side): string[] {
    return ['docker', 'exec', '-i', this.containers[side]];
  }

  sharedDir(): string {
    return '/shared';
  }

  /** The Pod's own services, running since the Pod came up; their host pids, for their CPU time and memory in /proc. */
  async services(): Promise<RunningServices> {
    const pid = async (service: string) =>
      Number((await run(['docker', 'inspect', '--format', '{{.State.Pid}}', await this.pod.containerId(service)])).stdout.trim());
    const pids = { app: await pid('app'), sidecar: await pid('sidecar') };
    return { stats: (service) => statsOf(pids[service]), stop: async () => {} };
  }

  async dispose(): Promise<void> {
    this.killChildren();
    await this.pod.down();
  }
}
