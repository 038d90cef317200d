// POSIX message queues through posix-mq, patched at its source
// (patches/posix-mq+1.1.3.patch, docs/posix-mq.md): the addon polls for
// readable only while 'messages' has a listener and for writable only after a
// push found the queue full, level-triggered, so an idle queue costs no
// wake-up and no event can be missed; its close() is safe whatever the
// garbage collector does. So this is a plain consumer loop: drain on
// 'messages', retry a push on 'drain'.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import type { QueueConfig } from './config.js';
import { budgetExhausted, parseMsgqueueLimit } from './queue-budget.js';

interface RawQueue extends EventEmitter {
  open(config: { name: string; create?: boolean; mode?: string; maxmsgs?: number; msgsize?: number }): void;
  close(): void;
  /** False when the queue was full: nothing was queued, and a 'drain' follows when there is room. */
  push(data: Buffer): boolean;
  shift(buffer: Buffer): number | false;
  readonly curmsgs: number;
  readonly maxmsgs: number;
  readonly msgsize: number;
  /** fstat() of the queue descriptor (patched into posix-mq); null if it failed. */
  readonly owner: { uid: number; gid: number; mode: number } | null;
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

/**
 * A queue the services use must be this UID's and closed to everyone else.
 * Everything in the Pod shares its IPC namespace: another container with
 * another UID (a mesh proxy, someone's sidecar) could create the queues first,
 * open to all, then read every message and forge replies. File modes are the
 * only wall.
 */
export function ownershipProblem(name: string, owner: { uid: number; mode: number } | null, uid: number): string | null {
  if (owner === null) return null;
  const mode = `0${owner.mode.toString(8).padStart(3, '0')}`;
  if (owner.uid !== uid) {
    return `message queue ${name} belongs to UID ${owner.uid} (mode ${mode}), but this container runs as UID ${uid}: another container of the Pod made it; refusing to use it`;
  }
  if ((owner.mode & 0o077) !== 0)
    return `message queue ${name} has mode ${mode}: others in the Pod could read and write it; refusing to use it (it must be 0600)`;
  return null;
}

/** Opens (creating if absent) a queue and checks it has the attributes this side expects, and (creating) that it is this UID's alone. */
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
  const uid = process.getuid?.();
  const problem = create && uid !== undefined ? ownershipProblem(spec.name, raw.owner, uid) : null;
  if (problem !== null) {
    raw.close();
    throw new QueueError(problem);
  }
  if (raw.msgsize !== spec.messageSize || raw.maxmsgs !== spec.maxMessages) {
    raw.close();
    throw new QueueError(
      `message queue ${spec.name} exists with maxMessages=${raw.maxmsgs} messageSize=${raw.msgsize}, ` +
        `but this container expects ${spec.maxMessages}/${spec.messageSize}: both containers must use the same queue settings`,
    );
  }
  return raw;
}

/** Creates a queue with `mode` (octal) as it is and leaves it: what a neighbour in the Pod could do first. */
export function createQueue(
  name: string,
  maxMessages: number,
  messageSize: number,
  mode: string,
): { created: string; owner: RawQueue['owner'] } {
  const raw = new PosixMQ();
  // The process umask would narrow the mode; a hostile neighbour would set it to 0.
  const umask = process.umask(0);
  try {
    raw.open({ name, create: true, mode, maxmsgs: maxMessages, msgsize: messageSize });
  } finally {
    process.umask(umask);
  }
  const owner = raw.owner;
  raw.close();
  return { created: name, owner };
}

/** Opens a queue that must already exist, without creating it: the isolation probe's test. */
export function probeQueue(spec: QueueSpec): { depth: number } {
  const raw = openRaw(spec, false);
  const depth = raw.curmsgs;
  raw.close();
  return { depth };
}

export class MessageQueue {
  private raw: RawQueue | null = null;
  private consumer: ((message: Buffer) => void) | null = null;
  private paused = false;
  private closed = false;
  private readonly waiters: Array<() => void> = [];
  private readonly readBuffer: Buffer;
  private readonly onMessages = () => this.readNow();
  /** Where a producer may encode its next message (encodeRequest's `into`), pushed at once. */
  readonly writeBuffer: Buffer;

  constructor(readonly spec: QueueSpec) {
    this.readBuffer = Buffer.alloc(spec.messageSize);
    this.writeBuffer = Buffer.alloc(spec.messageSize);
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
    return this.handle().push(message);
  }

  /** Pushes one message, waiting for room while the queue is full: backpressure, never loss. */
  async push(message: Buffer): Promise<void> {
    if (this.tryPush(message)) return;
    // It waits: a view of writeBuffer would be overwritten by the next encode meanwhile.
    if (message.buffer === this.writeBuffer.buffer) message = Buffer.from(message);
    while (!this.tryPush(message)) {
      // The failed push asked the addon for one 'drain', which wakes every waiter.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      if (this.closed) throw new QueueError(`${this.spec.name} closed while a push waited for room`);
    }
  }

  /**
   * Calls `handler` for every message, in order, starting with those already
   * queued. The buffer is reused for the next message: decode or copy it before returning.
   */
  consume(handler: (message: Buffer) => void): void {
    this.consumer = handler;
    this.resume();
  }

  /** Stops taking messages; they wait in the queue (the producer sees it fill up). No listener, so no poll. */
  pause(): void {
    this.paused = true;
    this.raw?.removeListener('messages', this.onMessages);
  }

  resume(): void {
    this.paused = false;
    if (this.closed) return; // as before close: a late resume (a reply pushed at shutdown) is no error
    const raw = this.handle();
    if (this.consumer && raw.listenerCount('messages') === 0) raw.on('messages', this.onMessages);
    this.readNow();
  }

  /**
   * Takes every message queued now and hands each to `handler`, without a
   * consumer: the app takes back at start what its predecessor pushed. The
   * buffer is reused, as in consume().
   */
  takeAll(handler: (message: Buffer) => void): number {
    let taken = 0;
    for (let size = this.handle().shift(this.readBuffer); size !== false; size = this.handle().shift(this.readBuffer)) {
      taken += 1;
      handler(this.readBuffer.subarray(0, size));
    }
    return taken;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.consumer = null;
    this.raw?.close();
    this.raw = null;
    for (const wake of this.waiters.splice(0)) wake();
  }

  private handle(): RawQueue {
    if (this.closed) throw new QueueError(`${this.spec.name} is closed`);
    if (!this.raw) {
      this.raw = openRaw(this.spec, true);
      this.raw.on('drain', () => {
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
    return this.raw;
  }

  /** Hands the consumer every message queued now (the 'messages' event does it too; the app calls it before deciding what was lost). */
  readNow(): void {
    while (this.consumer && !this.paused && !this.closed) {
      const size = this.handle().shift(this.readBuffer);
      if (size === false) break;
      // A view, not a copy (measured: a third of the 4 KiB round trip): valid only during the call.
      this.consumer(this.readBuffer.subarray(0, size));
    }
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
