// A small CLI shipped with the services and run *inside* a Pod's namespaces
// (nsenter, docker exec, kubectl exec) to look at the Pod from within: it makes
// HTTP requests, opens queues and TCP ports, and prints one JSON result.
// It exits 0 whenever it could run its command; the verdict is the caller's.
// (The containers' exec health probe is apps/health, which loads far less.)
import { statfsSync } from 'node:fs';
import { encodeRequest, isMessageId } from '../shared/envelope.js';
import { readNamespaces } from '../shared/namespaces.js';
import { createQueue, MessageQueue, probeQueue } from '../shared/message-queue.js';
import { abuse, liveness } from './abuse.js';
import { load } from './load.js';
import { httpJson, roundTrip } from './round-trip.js';
import { listInterfaces } from './interfaces.js';
import { listProcesses, peek } from './processes.js';
import { connectMany, connectOnce, hold, signal, unixPath, waitForFiles, type Signals } from './listeners.js';
import { shmRead, shmRemove, shmWrite } from './shm.js';
import { createSysv, listSysv, removeSysv } from './sysv.js';

const USAGE = `usage:
  probe http <METHOD> <url> [json-body|''] [content-type] ['Name: value'...]
  probe roundtrip <app-url> <count> [timeout-ms] [pace-ms]
  probe load <app-url> <count> <concurrency> [timeout-ms] [verify|until-shutdown] [per-second]
  probe mq-open <queue-name> <max-messages> <message-size>
  probe mq-create <queue-name> <max-messages> <message-size> <octal-mode>
  probe mq-push <queue-name> <max-messages> <message-size> <count> <text>
  probe mq-request <queue-name> <max-messages> <message-size> <id> <text>
  probe connect <host> <port>
  probe ns | interfaces | ps | peek <pid> | cgroup
  probe survey <queue-name> <max-messages> <message-size> <tcp-port>
  probe sysv-create | sysv-list | sysv-remove <queue-id> <semaphore-set-id>
  probe shm-write <name> <text> | shm-read <name> | shm-remove <name>
  probe hold <host> <port> <ms> [reuseport] | connect-many <host> <port> <count>
  probe abuse <app-url> <streams> <flooders> <ms> | liveness <app-url> <ms>
  probe unix-hold <path|@abstract-name> <ms> | unix-connect <path|@abstract-name>...
  probe signal <file>
options, before the command, for probes in two containers that wait for each other:
  --when FILE[,FILE...]  wait (30 s at most) until these files exist, then run
  --then FILE            write FILE after the command, and remove it a second later
  --ready FILE           hold, unix-hold: write FILE once bound
  --until FILE           hold, unix-hold: stop holding when FILE appears (ms is then the longest)`;

function openQueue(name: string, maxMessages: number, messageSize: number): { ok: boolean; depth?: number; error?: string } {
  try {
    return { ok: true, ...probeQueue({ name, maxMessages, messageSize }) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** The options before the command (see USAGE), and the command with its arguments. */
function splitOptions(args: string[]): { options: Record<string, string>; command: string[] } {
  const options: Record<string, string> = {};
  let i = 0;
  for (; args[i]?.startsWith('--'); i += 2) {
    const [name, value] = [args[i]!.slice(2), args[i + 1]];
    if (!['when', 'then', 'ready', 'until'].includes(name) || value === undefined)
      throw new Error(`unknown option or missing value: ${args[i]}\n${USAGE}`);
    options[name] = value;
  }
  return { options, command: args.slice(i) };
}

async function main(args: string[]): Promise<unknown> {
  const { options, command } = splitOptions(args);
  if (options.when) await waitForFiles(options.when.split(','), 30_000);
  const result = await run(command, { ready: options.ready, until: options.until });
  if (options.then) await signal(options.then);
  return result;
}

async function run(args: string[], signals: Signals): Promise<unknown> {
  const [command, ...rest] = args;
  const int = (value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`expected a whole number, got ${JSON.stringify(value)}\n${USAGE}`);
    return parsed;
  };
  switch (command) {
    case 'http': {
      const [method, url, body, type, ...headerLines] = rest;
      if (!method || !url) break;
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      // An empty body (to reach the header arguments) is no body.
      return httpJson(method, url, body === '' ? undefined : body, type, undefined, headers);
    }
    case 'roundtrip': {
      const [url, count, timeout, pace] = rest;
      if (!url) break;
      return roundTrip(url, int(count), timeout === undefined ? 60_000 : int(timeout), pace === undefined ? 0 : int(pace));
    }
    case 'load': {
      const [url, count, concurrency, timeout, mode = 'verify', perSecond = '0'] = rest;
      if (!url || (mode !== 'verify' && mode !== 'until-shutdown')) break;
      return load(url, int(count), Math.max(1, int(concurrency)), timeout === undefined ? 120_000 : int(timeout), mode, int(perSecond));
    }
    case 'abuse': {
      const [url, streams, flooders, ms] = rest;
      if (!url) break;
      return abuse(url, int(streams), Math.max(1, int(flooders)), int(ms));
    }
    case 'liveness': {
      const [url, ms] = rest;
      if (!url) break;
      return liveness(url, int(ms));
    }
    case 'mq-push': {
      // Fills a queue by hand, e.g. the reply queue while the app is stopped.
      const [name, maxMessages, messageSize, count, text] = rest;
      if (!name || text === undefined) break;
      const queue = new MessageQueue({ name, maxMessages: int(maxMessages), messageSize: int(messageSize) });
      let pushed = 0;
      while (pushed < int(count) && queue.tryPush(Buffer.from(text, 'utf8'))) pushed += 1;
      queue.close();
      return { pushed };
    }
    case 'mq-request': {
      // One request as the app would queue it (an init container leaves it for the sidecar).
      const [name, maxMessages, messageSize, id, text] = rest;
      if (!name || !isMessageId(id) || text === undefined) break;
      const queue = new MessageQueue({ name, maxMessages: int(maxMessages), messageSize: int(messageSize) });
      const pushed = queue.tryPush(encodeRequest({ id, sentAt: new Date().toISOString(), text }, queue.writeBuffer));
      const depth = queue.depth;
      queue.close();
      // When, to the millisecond: what ran after it (the Pod's containers) can be ordered against it.
      return { queue: name, id, text, pushed, depth, at: new Date().toISOString() };
    }
    case 'mq-create': {
      // A queue made by someone else first, with a mode of their choosing (the hostile-neighbour test).
      const [name, maxMessages, messageSize, mode] = rest;
      if (!name || !mode) break;
      return createQueue(name, int(maxMessages), int(messageSize), mode);
    }
    case 'mq-open': {
      const [name, maxMessages, messageSize] = rest;
      if (!name) break;
      return openQueue(name, int(maxMessages), int(messageSize));
    }
    case 'connect': {
      const [host, port] = rest;
      if (!host) break;
      return connectOnce({ host, port: int(port) });
    }
    case 'ns':
      return { pid: process.pid, namespaces: await readNamespaces() };
    case 'interfaces':
      return listInterfaces();
    case 'ps':
      return listProcesses();
    case 'cgroup':
      // cgroup2fs's magic number; cgroup v1 mounts a tmpfs of controllers there.
      return { version: statfsSync('/sys/fs/cgroup').type === 0x63677270 ? 2 : 1 };
    case 'survey': {
      // What a newcomer to the Pod (an ephemeral debug container) finds: its
      // namespaces, the Pod's queue, a loopback port, and the processes it sees.
      const [name, maxMessages, messageSize, port] = rest;
      if (!name) break;
      return {
        namespaces: await readNamespaces(),
        queue: openQueue(name, int(maxMessages), int(messageSize)),
        loopback: await connectOnce({ host: '127.0.0.1', port: int(port) }),
        processes: listProcesses(),
      };
    }
    case 'peek':
      return peek(int(rest[0]));
    case 'sysv-create':
      return createSysv();
    case 'sysv-list':
      return listSysv();
    case 'sysv-remove': {
      const [queue, semaphores] = rest;
      if (semaphores === undefined) break;
      await removeSysv([
        { kind: 'message queue', id: int(queue) },
        { kind: 'semaphore set', id: int(semaphores) },
      ]);
      return { removed: true };
    }
    case 'shm-write': {
      const [name, text] = rest;
      if (!name || text === undefined) break;
      return shmWrite(name, text);
    }
    case 'shm-read':
      if (!rest[0]) break;
      return shmRead(rest[0]);
    case 'shm-remove':
      if (!rest[0]) break;
      return shmRemove(rest[0]);
    case 'hold': {
      const [host, port, ms, reuse] = rest;
      if (!host || (reuse !== undefined && reuse !== 'reuseport')) break;
      return hold({ host, port: int(port), reusePort: reuse === 'reuseport' }, int(ms), signals);
    }
    case 'connect-many': {
      const [host, port, count] = rest;
      if (!host) break;
      return connectMany({ host, port: int(port) }, int(count));
    }
    case 'unix-hold': {
      const [address, ms] = rest;
      if (!address) break;
      return hold({ path: unixPath(address) }, int(ms), signals);
    }
    case 'unix-connect':
      if (rest.length === 0) break;
      return Promise.all(rest.map((address) => connectOnce({ path: unixPath(address) })));
    case 'signal': {
      const [file] = rest;
      if (!file) break;
      await signal(file);
      return { signalled: file };
    }
  }
  throw new Error(USAGE);
}

main(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
  (error: unknown) => {
    process.stderr.write(`probe: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
