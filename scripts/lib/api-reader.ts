// Reads from the API server through one `kubectl proxy`, instead of one
// kubectl process per read. The demo polls Pods several times a second across
// the steps that run side by side, and a kubectl start costs about 0.1 s of
// CPU on a 2-core machine whose CPU the Pods need: in a warm run of 136 s,
// 175 `kubectl get pods` took 17 CPU-seconds. The proxy listens on a Unix
// socket in a directory only this user can enter (not on a TCP port, which any
// process or web page on the machine could reach), and dies with this process.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long kubectl may take to start serving, and a read to be answered. */
const START_MS = 15_000;
const READ_MS = 60_000;

/** The readers with a proxy running: stopped, their sockets removed, when this process exits. */
const running = new Set<ApiReader>();
process.once('exit', () => {
  for (const reader of running) reader.close();
});

export class ApiReader {
  private started: Promise<string> | null = null;
  private proxy: ChildProcess | null = null;
  private folder: string | null = null;

  /** `kubectl`: the command line that reaches the cluster (kubectl, --kubeconfig, --context). */
  constructor(private readonly kubectl: readonly string[]) {}

  /** The object at an API path (/api/v1/namespaces/NS/pods?labelSelector=…), parsed; throws with the server's message on an error status. */
  async get(path: string): Promise<unknown> {
    return JSON.parse(await this.text(path, 'application/json')) as unknown;
  }

  /** The body at an API path as text (a container's log: …/pods/NAME/log?container=C); throws with the server's message on an error status. */
  async text(path: string, accept = '*/*'): Promise<string> {
    const socketPath = await (this.started ??= this.start());
    return new Promise((resolve, reject) => {
      const call = request({ socketPath, path, headers: { accept } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(body);
          const message = (() => {
            try {
              return (JSON.parse(body) as { message?: string }).message ?? body;
            } catch {
              return body;
            }
          })();
          reject(new Error(`GET ${path}: ${status} ${message.trim().slice(0, 300)}`));
        });
      });
      call.on('error', (error) => reject(new Error(`GET ${path} through kubectl proxy: ${error.message}`)));
      call.setTimeout(READ_MS, () => call.destroy(new Error(`no answer within ${READ_MS} ms`)));
      call.end();
    });
  }

  /** Stops the proxy; the next read starts another. */
  close(): void {
    running.delete(this);
    this.proxy?.kill();
    if (this.folder !== null) rmSync(this.folder, { recursive: true, force: true });
    this.proxy = null;
    this.folder = null;
    this.started = null;
  }

  private async start(): Promise<string> {
    const folder = mkdtempSync(join(tmpdir(), 'podmates-api-'));
    const socket = join(folder, 'api.sock');
    const [command, ...prefix] = this.kubectl;
    const args = [...prefix, 'proxy', `--unix-socket=${socket}`];
    // setpriv (util-linux): the proxy gets SIGTERM when this process dies, even by SIGKILL.
    const proxy = existsSync('/usr/bin/setpriv')
      ? spawn('/usr/bin/setpriv', ['--pdeathsig', 'SIGTERM', command!, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proxy = proxy;
    this.folder = folder;
    running.add(this);
    let said = '';
    proxy.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const ended: { code: number | null } = { code: null };
    proxy.on('exit', (code) => {
      ended.code = code ?? -1;
      // A proxy gone is started again by the next read.
      if (this.proxy === proxy) this.close();
    });
    const deadline = Date.now() + START_MS;
    while (!existsSync(socket)) {
      if (ended.code !== null) throw new Error(`kubectl proxy exited ${ended.code}: ${said.trim().slice(-300)}`);
      if (Date.now() > deadline) {
        this.close();
        throw new Error(`kubectl proxy did not serve on ${socket} within ${START_MS} ms: ${said.trim().slice(-300)}`);
      }
      await sleep(20);
    }
    // Neither the proxy nor its pipe keeps this process alive.
    proxy.stderr.destroy();
    proxy.unref();
    return socket;
  }
}
