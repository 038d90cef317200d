// The probe's contract: each verb of the CLI with its arguments, as a caller
// gives them, and the JSON it prints. apps/probe/main.ts implements it (the
// compiler checks every result against it); apps/probe/client.ts turns it
// into typed calls for the demo's steps and the tests, whichever way they
// reach the Pod (kubectl exec, docker exec, nsenter).
import type { AbuseResult, LivenessResult } from './abuse.js';
import type { Interface } from './interfaces.js';
import type { Connected, Held, connectMany } from './listeners.js';
import type { LoadMode, LoadResult } from './load.js';
import type { ProcessSeen, peek } from './processes.js';
import type { HttpResult, RoundTripResult } from './round-trip.js';
import type { shmRead, shmRemove, shmWrite } from './shm.js';
import type { SysvObject } from './sysv.js';
import type { createQueue } from '../shared/message-queue.js';
import type { NamespaceIds } from '../shared/namespaces.js';
import type { LifecycleLine } from '../shared/lifecycle.js';
import { QUEUE_DEFAULTS } from '../shared/config.js';

// What the judges read, from where the probe makes it.
export type { Connected, Held, HttpResult, Interface, LifecycleLine, LoadResult, ProcessSeen, RoundTripResult, SysvObject };

/** A queue as the probe opens it: its name and the attributes both services create it with. */
export type QueueArgs = [name: string, maxMessages: number, messageSize: number];

/** The Pod's queues with the ConfigMap's (and the services') sizes. */
export const REQUEST_QUEUE: QueueArgs = [QUEUE_DEFAULTS.requestQueue, QUEUE_DEFAULTS.maxMessages, QUEUE_DEFAULTS.messageSize];
export const REPLY_QUEUE: QueueArgs = [QUEUE_DEFAULTS.replyQueue, QUEUE_DEFAULTS.maxMessages, QUEUE_DEFAULTS.messageSize];

/** The probe's command line in the services' image (its working directory is the project's). */
export const PROBE_COMMAND = ['node', 'dist/apps/probe/main.js'];

export interface QueueOpened {
  ok: boolean;
  depth?: number;
  error?: string;
}

/** What a newcomer to the Pod (an ephemeral debug container) finds. */
export interface Survey {
  namespaces: NamespaceIds;
  queue: QueueOpened;
  loopback: Connected;
  processes: ProcessSeen[];
}

/** A request left in a queue as the app would push it; `at` to the millisecond. */
export interface RequestLeft {
  queue: string;
  id: string;
  text: string;
  pushed: boolean;
  depth: number;
  at: string;
}

export interface ProbeVerbs {
  http: { args: [method: string, url: string, body?: string, type?: string, ...headers: string[]]; result: HttpResult };
  roundtrip: { args: [appUrl: string, count: number, timeoutMs?: number, paceMs?: number]; result: RoundTripResult };
  load: {
    args: [appUrl: string, count: number, concurrency: number, timeoutMs?: number, mode?: LoadMode, perSecond?: number];
    result: LoadResult;
  };
  mqOpen: { args: QueueArgs; result: QueueOpened };
  mqCreate: { args: [...QueueArgs, octalMode: string]; result: ReturnType<typeof createQueue> };
  mqPush: { args: [...QueueArgs, count: number, text: string]; result: { pushed: number } };
  mqRequest: { args: [...QueueArgs, id: string, text: string]; result: RequestLeft };
  connect: { args: [host: string, port: number]; result: Connected };
  ns: { args: []; result: { pid: number; namespaces: NamespaceIds } };
  interfaces: { args: []; result: Interface[] };
  ps: { args: []; result: ProcessSeen[] };
  peek: { args: [pid: number]; result: ReturnType<typeof peek> };
  cgroup: { args: []; result: { version: 1 | 2 } };
  survey: { args: [...QueueArgs, tcpPort: number]; result: Survey };
  sysvCreate: { args: []; result: SysvObject[] };
  sysvList: { args: []; result: SysvObject[] };
  sysvRemove: { args: [queueId: number, semaphoreSetId: number]; result: { removed: true } };
  shmWrite: { args: [name: string, text: string]; result: ReturnType<typeof shmWrite> };
  shmRead: { args: [name: string]; result: ReturnType<typeof shmRead> };
  shmRemove: { args: [name: string]; result: ReturnType<typeof shmRemove> };
  hold: { args: [host: string, port: number, ms: number, reuse?: 'reuseport']; result: Held };
  connectMany: { args: [host: string, port: number, count: number]; result: Awaited<ReturnType<typeof connectMany>> };
  abuse: { args: [appUrl: string, streams: number, flooders: number, ms: number]; result: AbuseResult };
  liveness: { args: [appUrl: string, ms: number]; result: LivenessResult };
  unixHold: { args: [address: string, ms: number]; result: Held };
  unixConnect: { args: [address: string, ...more: string[]]; result: Connected[] };
  signal: { args: [file: string]; result: { signalled: string } };
  lifecycle: { args: [file: string]; result: LifecycleLine[] };
}

export type Verb = keyof ProbeVerbs;
export type ProbeArgs<V extends Verb> = ProbeVerbs[V]['args'];
export type ProbeResult<V extends Verb> = ProbeVerbs[V]['result'];

/**
 * Each verb's line of the usage text: the word the CLI takes, then its
 * arguments. A record, so a verb cannot be added to the contract without it.
 */
export const VERB_USAGE: Record<Verb, string> = {
  http: "http <METHOD> <url> [json-body|''] [content-type] ['Name: value'...]",
  roundtrip: 'roundtrip <app-url> <count> [timeout-ms] [pace-ms]',
  load: 'load <app-url> <count> <concurrency> [timeout-ms] [verify|until-shutdown] [per-second]',
  mqOpen: 'mq-open <queue-name> <max-messages> <message-size>',
  mqCreate: 'mq-create <queue-name> <max-messages> <message-size> <octal-mode>',
  mqPush: 'mq-push <queue-name> <max-messages> <message-size> <count> <text>',
  mqRequest: 'mq-request <queue-name> <max-messages> <message-size> <id> <text>',
  connect: 'connect <host> <port>',
  ns: 'ns',
  interfaces: 'interfaces',
  ps: 'ps',
  peek: 'peek <pid>',
  cgroup: 'cgroup',
  survey: 'survey <queue-name> <max-messages> <message-size> <tcp-port>',
  sysvCreate: 'sysv-create',
  sysvList: 'sysv-list',
  sysvRemove: 'sysv-remove <queue-id> <semaphore-set-id>',
  shmWrite: 'shm-write <name> <text>',
  shmRead: 'shm-read <name>',
  shmRemove: 'shm-remove <name>',
  hold: 'hold <host> <port> <ms> [reuseport]',
  connectMany: 'connect-many <host> <port> <count>',
  abuse: 'abuse <app-url> <streams> <flooders> <ms>',
  liveness: 'liveness <app-url> <ms>',
  unixHold: 'unix-hold <path|@abstract-name> <ms>',
  unixConnect: 'unix-connect <path|@abstract-name>...',
  signal: 'signal <file>',
  lifecycle: 'lifecycle <record-file>',
};

/**
 * Whether a verb may run twice for one call: it only reads or connects, so a
 * second run changes nothing the first one did not. When a call's answer is
 * lost on its way back (kubectl exec can end with exit 0 and no output when
 * its stream is cut), such a verb is asked again; any other fails, saying
 * so. A record, so each new verb is decided; for http, the method decides.
 */
export const SAFE_TO_ASK_AGAIN: { [V in Verb]: boolean | ((...args: ProbeArgs<V>) => boolean) } = {
  // The services' GETs only read (a metrics counter aside); a POST queues a message.
  http: (method) => method === 'GET' || method === 'HEAD',
  roundtrip: false,
  load: false,
  mqOpen: true,
  mqCreate: false,
  mqPush: false,
  mqRequest: false,
  connect: true,
  ns: true,
  interfaces: true,
  ps: true,
  peek: true,
  cgroup: true,
  survey: true,
  sysvCreate: false,
  sysvList: true,
  sysvRemove: false,
  shmWrite: false,
  shmRead: true,
  shmRemove: false,
  hold: false,
  // The holders count the connections they accept.
  connectMany: false,
  unixConnect: false,
  abuse: false,
  liveness: false,
  unixHold: false,
  signal: false,
  lifecycle: true,
};

/** The word the CLI takes for a verb: the first of its usage line (mqOpen → mq-open). */
export const cliWord = (verb: Verb): string => VERB_USAGE[verb].split(' ')[0]!;

/**
 * Options before the verb, for probes in two containers that wait for each
 * other through files in a volume both mount, instead of sleeping for a
 * guessed time (under load an exec may take seconds to start).
 */
export interface ProbeOptions {
  /** Wait (30 s at most) until these files exist, then run. */
  when?: string[];
  /** Write this file after the verb, and remove it a second later. */
  then?: string;
  /** hold, unix-hold: write this file once bound. */
  ready?: string;
  /** hold, unix-hold: stop holding when this file appears (ms is then the longest). */
  until?: string;
}
