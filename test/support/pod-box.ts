// "Pod in a box": real Linux namespaces without containers. A holder process in
// new network, IPC and UTS namespaces stands for the pause container; the real
// built services join it with nsenter, as containers join a Pod's sandbox.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { probeClient, type ProbeClient } from '../../apps/probe/client.js';
import type { HttpResult, ProbeOptions } from '../../apps/probe/contract.js';
import { execa, execaSync, type ResultPromise } from 'execa';
import { untilSettled } from '../../scripts/lib/message-answers.js';
import { HOLDER, NAMESPACE_TOOLS, podStateDir, reachableByOthers, withoutPrivileges } from '../../scripts/lib/namespaces.js';
import { DIST } from '../../scripts/lib/project.js';

/** The subprocesses here never reject: exit codes are what the tests look at. */
type Child = ResultPromise<{ reject: false }>;

/** The UID both containers run as in the images; here too, when the checkout allows it. */
export const SERVICE_UID = 10001;
/** RLIMIT_MSGQUEUE as Linux sets it by default, in bytes. */
export const MSGQUEUE_BUDGET = 819_200;

/** Why the namespace tests cannot run here, or null when they can. */
export function namespaceBlocker(): string | null {
  if (process.platform !== 'linux') return `they need Linux namespaces; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'creating namespaces with unshare/nsenter needs root (run as root, or see README)';
  for (const [tool, debianPackage] of NAMESPACE_TOOLS) {
    if (execaSync('sh', ['-c', `command -v ${tool}`], { reject: false }).exitCode !== 0)
      return `${tool} is not installed (${debianPackage})`;
  }
  if (!existsSync(join(DIST, 'apps/app/main.js'))) return 'the services are not built: run `npm run build`';
  return null;
}

/**
 * How services are started: an unprivileged UID with no capabilities, like the
 * containers; if the checkout sits below a private directory (e.g. /root), UID 0
 * with every capability dropped, which still has no CAP_SYS_RESOURCE.
 */
export function serviceUid(): number {
  return reachableByOthers(DIST) ? SERVICE_UID : 0;
}

function privileges(uid = serviceUid()): string[] {
  return withoutPrivileges(uid);
}

export interface Exited {
  exitCode: number | null;
  signal: string | null;
  output: string;
}

export class Service {
  readonly lines: string[] = [];
  private readonly exited: Promise<Exited>;

  constructor(
    readonly name: string,
    private readonly process: Child,
  ) {
    const collect = (chunk: Buffer) =>
      this.lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
    process.stdout?.on('data', collect);
    process.stderr?.on('data', collect);
    this.exited = process.then((result) => ({
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      output: this.lines.join('\n'),
    }));
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** The first structured log line with this event; fails early if the service exits first. */
  async waitForEvent(event: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    let done: Exited | null = null;
    void this.exited.then((exit) => (done = exit));
    for (;;) {
      for (const line of this.lines) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.event === event) return parsed;
      }
      if (done) throw new Error(`${this.name} exited (${JSON.stringify(done)}) before logging "${event}"`);
      if (Date.now() > deadline)
        throw new Error(`${this.name} did not log "${event}" within ${timeoutMs} ms; output:\n${this.lines.join('\n')}`);
      await sleep(20);
    }
  }

  exit(): Promise<Exited> {
    return this.exited;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exited> {
    this.process.kill(signal);
    return this.exited;
  }
}

export class PodBox {
  private readonly services: Service[] = [];
  /** The Pod's emptyDir: the app's journal lives here, across restarts of its process. */
  readonly stateDir: string;

  private constructor(
    readonly name: string,
    readonly pid: number,
    private readonly holder: Child | null,
    private readonly uid = serviceUid(),
    stateDir?: string,
    /** False when the caller gave the state folder: it outlives this box (a re-created sandbox keeps the Pod's emptyDir). */
    private readonly ownsState = stateDir === undefined,
  ) {
    this.stateDir = stateDir ?? podStateDir(name, uid);
  }

  /**
   * A new "Pod": fresh net, IPC and UTS namespaces with loopback up. With
   * `allButIpcOf`, it joins that box's net and UTS namespaces and gets only an
   * IPC namespace of its own: a deliberately broken Pod.
   */
  static async create(name: string, options: { allButIpcOf?: PodBox; uid?: number; stateDir?: string } = {}): Promise<PodBox> {
    const command = options.allButIpcOf
      ? ['nsenter', '-t', String(options.allButIpcOf.pid), '-n', '-u', '--', 'unshare', '--ipc', '--', ...HOLDER]
      : ['unshare', '--net', '--ipc', '--uts', '--', ...HOLDER];
    const holder = execa(command[0]!, command.slice(1), { reject: false });
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.once('data', () => resolve());
      void holder.then((result) => reject(new Error(`namespace holder for ${name} exited: ${result.stderr || result.exitCode}`)));
    });
    return new PodBox(name, holder.pid!, holder, options.uid, options.stateDir);
  }

  /** Another name for the same namespaces: a "second Pod" that wrongly shares the first one's. */
  static alias(name: string, of: PodBox): PodBox {
    return new PodBox(name, of.pid, null, of.uid, of.stateDir, false);
  }

  private enter(args: string[], uid = this.uid): string[] {
    // The kernel's default queue budget (`ulimit -q`), whatever this machine's shell has.
    return [
      'nsenter',
      '-t',
      String(this.pid),
      '-n',
      '-i',
      '-u',
      '--',
      'prlimit',
      `--msgqueue=${MSGQUEUE_BUDGET}`,
      '--',
      ...privileges(uid),
      ...args,
    ];
  }

  /** `cgroups`: cgroup.procs files the process joins before it starts, as a container's process is in its cgroups from the start. */
  start(service: 'app' | 'sidecar', env: Record<string, string> = {}, label: string = service, cgroups: string[] = []): Service {
    const entered = this.enter([process.execPath, join(DIST, `apps/${service}/main.js`)]);
    const joining = cgroups.length === 0 ? [] : ['sh', '-c', 'for f in $CGROUP_PROCS; do echo $$ > "$f"; done; exec "$@"', 'sh'];
    const [command, ...args] = [...joining, ...entered];
    const started = new Service(
      `${this.name}/${label}`,
      execa(command!, args, { reject: false, env: { STATE_DIR: this.stateDir, CGROUP_PROCS: cgroups.join(' '), ...env } }),
    );
    this.services.push(started);
    return started;
  }

  /** The probe CLI inside this box, as another process of the Pod. */
  probe(options: ProbeOptions = {}): ProbeClient {
    return this.probeAs(this.uid, options);
  }

  /** The probe as another UID: another container of the Pod, run by someone else. */
  probeAs(uid: number, options: ProbeOptions = {}): ProbeClient {
    return probeClient(async (words) => {
      const [command, ...rest] = this.enter([process.execPath, join(DIST, 'apps/probe/main.js'), ...words], uid);
      const result = await execa(command!, rest, { reject: false });
      if (result.exitCode !== 0) throw new Error(`probe ${words.join(' ')} in ${this.name} failed (${result.exitCode}): ${result.stderr}`);
      return JSON.parse(result.stdout) as unknown;
    }, options);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.services.map((service) => service.stop('SIGKILL')));
    this.holder?.kill('SIGKILL');
    await this.holder;
    if (this.ownsState) rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** Starts sidecar then app in the box and waits until the app reports ready. */
export async function startPod(box: PodBox, env: Record<string, string> = {}) {
  const sidecar = box.start('sidecar', env);
  await sidecar.waitForEvent('ready');
  const app = box.start('app', env);
  await app.waitForEvent('ready');
  return { sidecar, app };
}

export const APP_URL = 'http://127.0.0.1:8080';
export const SIDECAR_URL = 'http://127.0.0.1:9090';

/** An HTTP request made from inside the box, as another process of the Pod would. */
export function httpIn(box: PodBox, method: string, url: string, body?: string, type?: string): Promise<HttpResult> {
  return box.probe().http(method, url, body, type);
}

/** Asks GET /messages/:id until the message is settled; fails unless it was processed. */
export async function waitProcessed(box: PodBox, id: string, timeoutMs = 10_000): Promise<HttpResult> {
  const settled = await untilSettled((asked) => httpIn(box, 'GET', `${APP_URL}/messages/${asked}`), id, timeoutMs, 50);
  if (settled.state !== 'processed')
    throw new Error(`message ${id} not processed within ${timeoutMs} ms: ${JSON.stringify(settled.answer)}`);
  return settled.answer;
}
