// Where the bench's two sides run. In the namespace box (the default): two
// processes in one holder's network, IPC and UTS namespaces, as the Pod in a
// box. In the compose Pod (--target compose): the measuring side in the app's
// container and the echo side in the sidecar's, as the two containers of a
// Pod talk, while the services themselves keep running there.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Holder } from './pod.js';

export type Side = 'client' | 'peer';
export type Where = 'box' | 'compose' | 'kind';

export interface Sides {
  where: Where;
  /** The compiled project (dist/) as both sides see it. */
  dist: string;
  /** The node binary there. */
  node: string;
  /** Starts `argv` on one side, pinned to `cpu` when given; stdout and stderr are piped. */
  run(side: Side, argv: string[], env?: Record<string, string>, cpu?: number): ChildProcess;
  /** A folder both sides may write, for the Unix socket on a path (the Pod's shared emptyDir). */
  sharedDir(): string;
  dispose(): Promise<void>;
}

/** One CPU for every client and another for every echo peer when there are two, the same wherever they run. */
export function placement(): { client: number; peer: number } {
  return { client: 0, peer: cpus().length > 1 ? 1 : 0 };
}

export class BoxSides implements Sides {
  readonly where = 'box';
  readonly node = process.execPath;

  private constructor(
    readonly holder: Holder,
    readonly dist: string,
  ) {}

  static async create(dist: string, nice: number): Promise<BoxSides> {
    return new BoxSides(await Holder.create(dist, nice), dist);
  }

  run(_side: Side, argv: string[], env: Record<string, string> = {}, cpu?: number): ChildProcess {
    return this.holder.run(argv, env, cpu);
  }

  sharedDir(): string {
    return this.holder.stateDir();
  }

  async dispose(): Promise<void> {
    this.holder.dispose();
  }
}

/** The bench's compiled scripts below `dist`. */
export const benchScript = (sides: Pick<Sides, 'dist'>, name: string) => join(sides.dist, 'scripts/bench', name);

/**
 * Sides in a Pod's two containers, reached with `docker exec -i` or `kubectl
 * exec -i`: the client in the app's container, the peer in the sidecar's.
 * -i: killing the exec client ends the process's stdin inside the container
 * (the kill itself does not reach it), and a peer exits then.
 */
export abstract class ExecSides {
  readonly node = 'node';
  private readonly children = new Set<ChildProcess>();

  /** The command that runs what follows it in a side's container. */
  protected abstract exec(side: Side): string[];

  run(side: Side, argv: string[], env: Record<string, string> = {}, cpu?: number): ChildProcess {
    const variables = Object.entries({ ...env, BENCH_EXIT_ON_STDIN_END: '1' }).map(([name, value]) => `${name}=${value}`);
    const pinned = cpu === undefined ? [] : ['taskset', '--cpu-list', String(cpu)];
    const [command, ...args] = [...this.exec(side), 'env', ...variables, ...pinned, ...argv];
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  protected killChildren(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}
