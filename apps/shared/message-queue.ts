// POSIX message queues through posix-mq, with two of its sharp edges handled:
//
// 1. posix-mq keeps a libuv poll on every open descriptor. While a queue is
//    neither empty nor full and nobody drains it, that poll wakes up in a tight
//    loop (measured: ~128,000 wake-ups and a whole core per second). So a handle
//    that sees many events without any progress is closed ("retired") and
//    reopened when next needed: a producer whose consumer is down, or a paused
//    consumer, then costs nothing.
// 2. posix-mq's close() frees its poll handle in a libuv close callback that
//    reads the JS object: if the object is garbage collected first, the process
//    crashes (measured: a segfault). Retired handles are therefore kept
//    reachable until two event-loop turns have passed.
//
// 3. Its readiness events are edge-triggered by a state machine that can miss
//    an edge (a handle opened on an empty queue that receives a message before
//    its first poll never raises 'messages' until the queue is empty again;
//    with a fast producer the queue can fill up first, and then no event ever
//    comes: a deadlock seen in testing). So a consumer drains, and a waiting
//    producer retries, on every event of either kind and on a short watchdog
//    tick while it has something to wait for. A handle opened on a full queue
//    is worse: once the queue has room it spins without raising any event, for
//    good. Such a handle is replaced as soon as it has made room.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { QueueConfig } from './config.js';
import { budgetExhausted, parseMsgqueueLimit } from './queue-budget.js';

interface RawQueue extends EventEmitter {
  open(config: { name: string; create?: boolean; mode?: string; maxmsgs?: number; msgsize?: number }): void;
  close(): void;
  push(data: Buffer): boolean;
  shift(buffer: Buffer): number | false;
  readonly curmsgs: number;
  readonly maxmsgs: number;
  readonly msgsize: number;
}

const PosixMQ = createRequire(import.meta.url)('posix-mq') as new () => RawQueue;

export interface QueueSpec {
  name: string;
  maxMessages: number;
  messageSize: number;
}

export class QueueError extends Error {}

// Both containers run as one UID (README "Who owns the queues"), so 0600 suffices.
const QUEUE_MODE = '0600';
/** Poll events without progress after which an idle handle is retired. */
const SPIN_LIMIT = 64;
/** How often a consumer or a waiting producer looks at the queue without an event. */
const WATCHDOG_MS = 10;

const HINTS: Record<string, string> = {
  'Invalid argument':
    'maxMessages above fs.mqueue.msg_max (10) or messageSize above fs.mqueue.msgsize_max (8192) needs CAP_SYS_RESOURCE, which containers do not have',
  'Permission denied': 'the queue belongs to another user: both containers must run with the same UID',
  'No such file or directory': 'nobody has created the queue in this IPC namespace',
  'No space left on device': 'fs.mqueue.queues_max (256 queues per IPC namespace) is reached',
};

function msgqueueLimit(): number | null {
  try {
    return parseMsgqueueLimit(readFileSync('/proc/self/limits', 'utf8'));
  } catch {
    return null;
  }
}

function describe(spec: QueueSpec, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  // mq_open's EMFILE: on Linux almost always the per-UID queue budget, rarely the open-file limit.
  const hint =
    reason === 'Too many open files'
      ? budgetExhausted({ queue: spec.name, ...spec, uid: process.getuid?.() ?? -1, limit: msgqueueLimit() })
      : HINTS[reason];
  return `cannot open message queue ${spec.name}: ${reason}${hint ? ` (${hint})` : ''}`;
}

/** Opens (creating if absent) a queue and checks it has the attributes this side expects. */
function openRaw(spec: QueueSpec, create: boolean): RawQueue {
  const raw = new PosixMQ();
  try {
    raw.open(
      create
        ? { name: spec.name, create: true, mode: QUEUE_MODE, maxmsgs: spec.maxMessages, msgsize: spec.messageSize }
        : { name: spec.name },
    );
  } catch (error) {
    throw new QueueError(describe(spec, error));
  }
  if (raw.msgsize !== spec.messageSize || raw.maxmsgs !== spec.maxMessages) {
    retire(raw);
    throw new QueueError(
      `message queue ${spec.name} exists with maxMessages=${raw.maxmsgs} messageSize=${raw.msgsize}, ` +
        `but this container expects ${spec.maxMessages}/${spec.messageSize}: both containers must use the same queue settings`,
    );
  }
  return raw;
}

const graveyard = new Set<RawQueue>();

function retire(raw: RawQueue): void {
  raw.removeAllListeners();
  raw.close();
  graveyard.add(raw);
  setImmediate(() => setImmediate(() => graveyard.delete(raw)));
}

/** Opens a queue that must already exist, without creating it: the isolation probe's test. */
export function probeQueue(spec: QueueSpec): { depth: number } {
  const raw = openRaw(spec, false);
  const depth = raw.curmsgs;
  retire(raw);
  return { depth };
}

export class MessageQueue {
  private raw: RawQueue | null = null;
  private idleEvents = 0;
  private openedFull = false;
  private consumer: ((message: Buffer) => void) | null = null;
  private paused = false;
  private closed = false;
  private readonly waiters: Array<() => void> = [];
  private readonly readBuffer: Buffer;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(readonly spec: QueueSpec) {
    this.readBuffer = Buffer.alloc(spec.messageSize);
  }

  /** Opens the queue now, so a misconfiguration fails at start, not on the first message. */
  open(): void {
    this.handle();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get depth(): number {
    return this.handle().curmsgs;
  }

  /** Pushes one message; false when the queue is full (nothing was queued). */
  tryPush(message: Buffer): boolean {
    if (message.length > this.spec.messageSize) {
      throw new QueueError(`message of ${message.length} bytes exceeds ${this.spec.name}'s messageSize ${this.spec.messageSize}`);
    }
    const pushed = this.handle().push(message);
    if (pushed) {
      this.idleEvents = 0;
      if (this.openedFull) this.recycle();
    }
    return pushed;
  }

  /** Pushes one message, waiting for room while the queue is full: backpressure, never loss. */
  async push(message: Buffer): Promise<void> {
    while (!this.tryPush(message)) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.watch();
      });
      if (this.closed) throw new QueueError(`${this.spec.name} closed while a push waited for room`);
    }
  }

  /**
   * Calls `handler` for every message, in order, starting with those already
   * queued. The buffer is reused for the next message: decode or copy it before returning.
   */
  consume(handler: (message: Buffer) => void): void {
    this.consumer = handler;
    this.watch();
    this.drain();
  }

  /** Stops taking messages; they wait in the queue (the producer sees it fill up). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.watch();
    this.drain();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.consumer = null;
    this.unwatch();
    if (this.raw) retire(this.raw);
    this.raw = null;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private handle(): RawQueue {
    if (this.closed) throw new QueueError(`${this.spec.name} is closed`);
    if (!this.raw) {
      const raw = openRaw(this.spec, true);
      const onEvent = () => this.onPollEvent();
      raw.on('messages', onEvent);
      raw.on('drain', onEvent);
      this.raw = raw;
      this.idleEvents = 0;
      this.openedFull = raw.curmsgs >= raw.maxmsgs;
    }
    return this.raw;
  }

  private recycle(): void {
    if (this.raw) retire(this.raw);
    this.raw = null;
  }

  private get needsEvents(): boolean {
    return (this.consumer !== null && !this.paused) || this.waiters.length > 0;
  }

  private onPollEvent(): void {
    if (this.closed) return;
    const progressed = this.drain() + this.wakeWaiters() > 0;
    this.idleEvents = progressed ? 0 : this.idleEvents + 1;
    if (this.idleEvents > SPIN_LIMIT && !this.needsEvents) this.recycle();
  }

  private watch(): void {
    if (this.watchdog || this.closed) return;
    this.watchdog = setInterval(() => {
      if (!this.needsEvents) return this.unwatch();
      this.drain();
      this.wakeWaiters();
    }, WATCHDOG_MS);
    // A consumer alone must not keep the process alive; its server does.
    this.watchdog.unref();
  }

  private unwatch(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private wakeWaiters(): number {
    const woken = this.waiters.splice(0);
    for (const wake of woken) wake();
    return woken.length;
  }

  private drain(): number {
    let taken = 0;
    while (this.consumer && !this.paused && !this.closed) {
      const size = this.handle().shift(this.readBuffer);
      if (size === false) break;
      taken += 1;
      // A view, not a copy (measured: a third of the 4 KiB round trip): valid only during the call.
      this.consumer(this.readBuffer.subarray(0, size));
    }
    if (taken > 0) {
      this.idleEvents = 0;
      if (this.openedFull) {
        this.recycle();
        this.handle();
      }
    }
    return taken;
  }
}

/** Both of a Pod's queues, opened now so a misconfiguration fails at start. */
export function openPodQueues(config: QueueConfig): { requests: MessageQueue; replies: MessageQueue } {
  const size = { maxMessages: config.maxMessages, messageSize: config.messageSize };
  const requests = new MessageQueue({ name: config.requestQueue, ...size });
  const replies = new MessageQueue({ name: config.replyQueue, ...size });
  requests.open();
  replies.open();
  return { requests, replies };
}
