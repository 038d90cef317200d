// A small CLI shipped with the services and run *inside* a Pod's namespaces
// (nsenter, docker exec, kubectl exec) to look at the Pod from within: it makes
// HTTP requests, opens queues and TCP ports, and prints one JSON result.
// It exits 0 whenever it could run its command; the verdict is the caller's.
// (The containers' exec health probe is apps/health/health.sh: no Node at all.)
import { statfsSync } from 'node:fs';
import { encodeRequest, isMessageId } from '../shared/envelope.js';
import { readLifecycle } from '../shared/lifecycle.js';
import { createLogger } from '../shared/log.js';
import { readNamespaces } from '../shared/namespaces.js';
import { createQueue, MessageQueue, probeQueue } from '../shared/message-queue.js';
import { listInterfaces } from './interfaces.js';
import { listProcesses, peek } from './processes.js';
import { connectMany, connectOnce, hold, signal, unixPath, waitForFiles, type Signals } from './listeners.js';
import { shmRead, shmRemove, shmWrite } from './shm.js';
import { createSysv, listSysv, removeSysv } from './sysv.js';

import { cliWord, VERB_USAGE, type ProbeResult, type QueueOpened, type Verb } from './contract.js';

const USAGE = `usage:
${Object.values(VERB_USAGE)
  .map((line) => `  probe ${line}`)
  .join('\n')}
options, before the verb, for probes in two containers that wait for each other:
  --when FILE[,FILE...]  wait (30 s at most) until these files exist, then run
  --then FILE            write FILE after the verb, and remove it a second later
  --ready FILE           hold, unix-hold: write FILE once bound
  --until FILE           hold, unix-hold: stop holding when FILE appears (ms is then the longest)`;

function openQueue(name: string, maxMessages: number, messageSize: number): QueueOpened {
  try {
    return { ok: true, ...probeQueue({ name, maxMessages, messageSize }) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A whole number from the command line, or the usage. */
function int(value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`expected a whole number, got ${JSON.stringify(value)}\n${USAGE}`);
  return parsed;
}

/** The queue arguments every mq verb starts with. */
const queueOf = (name: string, maxMessages: string | undefined, messageSize: string | undefined) => ({
  name,
  maxMessages: int(maxMessages),
  messageSize: int(messageSize),
});

// The HTTP verbs' modules bring node-fetch and node:http, 80 of the 110 CPU-ms
// a probe takes to start (measured with Node 24): loaded only for those verbs,
// not for the others, most of the demo's execs.
const httpVerbs = () => import('./round-trip.js');
const loadVerb = () => import('./load.js');
const abuseVerbs = () => import('./abuse.js');

/**
 * Each verb of the contract, from its words on the command line to its
 * result; undefined when the words are missing (the usage is printed). The
 * type makes every verb of the contract present, with its result.
 */
type Handlers = {
  [V in Verb]: (rest: string[], signals: Signals) => Promise<ProbeResult<V> | undefined> | ProbeResult<V> | undefined;
};

const HANDLERS: Handlers = {
  http: async ([method, url, body, type, ...headerLines]) => {
    if (!method || !url) return undefined;
    const headers = Object.fromEntries(
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    // An empty body (to reach the header arguments) is no body.
    return (await httpVerbs()).httpJson(method, url, body === '' ? undefined : body, type, undefined, headers);
  },
  roundtrip: async ([url, count, timeout, pace]) =>
    url
      ? (await httpVerbs()).roundTrip(url, int(count), timeout === undefined ? 60_000 : int(timeout), pace === undefined ? 0 : int(pace))
      : undefined,
  load: async ([url, count, concurrency, timeout, mode = 'verify', perSecond = '0']) => {
    if (!url || (mode !== 'verify' && mode !== 'until-shutdown')) return undefined;
    const concurrent = Math.max(1, int(concurrency));
    return (await loadVerb()).load(url, int(count), concurrent, timeout === undefined ? 120_000 : int(timeout), mode, int(perSecond));
  },
  abuse: async ([url, streams, flooders, ms]) =>
    url ? (await abuseVerbs()).abuse(url, int(streams), Math.max(1, int(flooders)), int(ms)) : undefined,
  liveness: async ([url, ms]) => (url ? (await abuseVerbs()).liveness(url, int(ms)) : undefined),
  mqPush: ([name, maxMessages, messageSize, count, text]) => {
    // Fills a queue by hand, e.g. the reply queue while the app is stopped.
    if (!name || text === undefined) return undefined;
    const queue = new MessageQueue(queueOf(name, maxMessages, messageSize));
    let pushed = 0;
    while (pushed < int(count) && queue.tryPush(Buffer.from(text, 'utf8'))) pushed += 1;
    queue.close();
    return { pushed };
  },
  mqRequest: ([name, maxMessages, messageSize, id, text]) => {
    // One request as the app would queue it (an init container leaves it for the sidecar).
    if (!name || !isMessageId(id) || text === undefined) return undefined;
    const queue = new MessageQueue(queueOf(name, maxMessages, messageSize));
    const pushed = queue.tryPush(encodeRequest({ id, sentAt: new Date().toISOString(), text }, queue.writeBuffer));
    const depth = queue.depth;
    queue.close();
    // When, to the millisecond: what ran after it (the Pod's containers) can be ordered against it.
    return { queue: name, id, text, pushed, depth, at: new Date().toISOString() };
  },
  // A queue made by someone else first, with a mode of their choosing (the hostile-neighbour test).
  mqCreate: ([name, maxMessages, messageSize, mode]) =>
    name && mode ? createQueue(name, int(maxMessages), int(messageSize), mode) : undefined,
  mqOpen: ([name, maxMessages, messageSize]) => (name ? openQueue(name, int(maxMessages), int(messageSize)) : undefined),
  connect: ([host, port]) => (host ? connectOnce({ host, port: int(port) }) : undefined),
  ns: async () => ({ pid: process.pid, namespaces: await readNamespaces() }),
  interfaces: () => listInterfaces(),
  ps: () => listProcesses(),
  // cgroup2fs's magic number; cgroup v1 mounts a tmpfs of controllers there.
  cgroup: () => ({ version: statfsSync('/sys/fs/cgroup').type === 0x63677270 ? 2 : 1 }),
  survey: async ([name, maxMessages, messageSize, port]) => {
    // What a newcomer to the Pod (an ephemeral debug container) finds: its
    // namespaces, the Pod's queue, a loopback port, and the processes it sees.
    if (!name) return undefined;
    return {
      namespaces: await readNamespaces(),
      queue: openQueue(name, int(maxMessages), int(messageSize)),
      loopback: await connectOnce({ host: '127.0.0.1', port: int(port) }),
      processes: listProcesses(),
    };
  },
  peek: ([pid]) => peek(int(pid)),
  sysvCreate: () => createSysv(),
  sysvList: () => listSysv(),
  sysvRemove: async ([queue, semaphores]) => {
    if (semaphores === undefined) return undefined;
    await removeSysv([
      { kind: 'message queue', id: int(queue) },
      { kind: 'semaphore set', id: int(semaphores) },
    ]);
    return { removed: true };
  },
  shmWrite: ([name, text]) => (name && text !== undefined ? shmWrite(name, text) : undefined),
  shmRead: ([name]) => (name ? shmRead(name) : undefined),
  shmRemove: ([name]) => (name ? shmRemove(name) : undefined),
  hold: ([host, port, ms, reuse], signals) => {
    if (!host || (reuse !== undefined && reuse !== 'reuseport')) return undefined;
    return hold({ host, port: int(port), reusePort: reuse === 'reuseport' }, int(ms), signals);
  },
  connectMany: ([host, port, count]) => (host ? connectMany({ host, port: int(port) }, int(count)) : undefined),
  unixHold: ([address, ms], signals) => (address ? hold({ path: unixPath(address) }, int(ms), signals) : undefined),
  unixConnect: (addresses) =>
    addresses.length > 0 ? Promise.all(addresses.map((address) => connectOnce({ path: unixPath(address) }))) : undefined,
  signal: async ([file]) => {
    if (!file) return undefined;
    await signal(file);
    return { signalled: file };
  },
  // The Pod's lifecycle record (LIFECYCLE_FILE), as typed lines; empty before any container wrote it.
  lifecycle: ([file]) => (file ? readLifecycle(file) : undefined),
};

/** The verb a command-line word names (mq-open → mqOpen), or undefined. */
const VERB_BY_WORD = new Map((Object.keys(VERB_USAGE) as Verb[]).map((verb) => [cliWord(verb), verb]));

/** The options before the verb (see USAGE), and the verb with its arguments. */
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
  const [word = '', ...rest] = command;
  const verb = VERB_BY_WORD.get(word);
  if (options.when) await waitForFiles(options.when.split(','), 30_000);
  const result = verb === undefined ? undefined : await HANDLERS[verb](rest, { ready: options.ready, until: options.until });
  if (result === undefined) throw new Error(USAGE);
  if (options.then) await signal(options.then);
  return result;
}

// A probe that is a container's main process (the Job's work) names that
// container in LIFECYCLE_CONTAINER: it then logs its start and exit to stderr
// and the Pod's lifecycle record, like the services. A probe exec'd into a
// running container (most of its uses) does not: it is not that container's life.
if (process.env.LIFECYCLE_CONTAINER) {
  const log = createLogger('probe', (line) => process.stderr.write(line));
  log.info('starting', { pid: process.pid, processStartedAt: new Date(performance.timeOrigin).toISOString() });
  process.on('exit', (code) => log.info('exiting', { code }));
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
