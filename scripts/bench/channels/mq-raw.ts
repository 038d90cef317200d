// Calibration: bare posix-mq (patched: patches/posix-mq+1.1.3.patch) between
// two Node processes, raw payload bytes, no envelope and no MessageQueue wrapper.
import { createRequire } from 'node:module';
import type { EventEmitter } from 'node:events';
import { ENDPOINTS, QUEUE_SPEC } from '../protocol.js';
import { noReply, type Channel, type Transport } from './transport.js';

interface RawQueue extends EventEmitter {
  open(config: { name: string; create?: boolean; mode?: string; maxmsgs?: number; msgsize?: number }): void;
  push(data: Buffer): boolean;
  shift(buffer: Buffer): number | false;
  unlink(): void;
  close(): void;
}

const PosixMQ = createRequire(import.meta.url)('posix-mq') as new () => RawQueue;

function open(name: string): RawQueue {
  const raw = new PosixMQ();
  raw.open({ name, create: true, mode: '0600', maxmsgs: QUEUE_SPEC.maxMessages, msgsize: QUEUE_SPEC.messageSize });
  return raw;
}

/** Calls `take` for every queued message: the patched addon raises 'messages' while any wait. */
function drainOn(queue: RawQueue, take: (buffer: Buffer, size: number) => void): void {
  const buffer = Buffer.alloc(QUEUE_SPEC.messageSize);
  const drain = () => {
    for (let size = queue.shift(buffer); size !== false; size = queue.shift(buffer)) take(buffer, size);
  };
  queue.on('messages', drain);
  drain();
}

/** Removes a queue's name: its memory is released when the last process holding it exits. */
export function unlinkQueue(name: string): void {
  const raw = new PosixMQ();
  try {
    raw.open({ name });
  } catch {
    return; // already gone
  }
  raw.unlink();
  raw.close();
}

/** The channel's handles, reachable for as long as the process runs: a collected handle is closed. */
const keep: RawQueue[] = [];

export const mqRawChannel: Channel<'mq-raw'> = {
  name: 'mq-raw',
  label: 'POSIX MQ, bare posix-mq',
  colour: '#ff9896',

  async connect(): Promise<Transport> {
    const requests = open(ENDPOINTS.rawRequest);
    const replies = open(ENDPOINTS.rawReply);
    keep.push(requests, replies);
    let expected = 0;
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        expected = payload.length;
        if (!requests.push(payload)) throw new Error(`${ENDPOINTS.rawRequest} is full with at most a window of messages in flight`);
      },
    };
    drainOn(replies, (_buffer, size) => {
      if (size !== expected) throw new Error(`echo of ${size} bytes, expected ${expected}`);
      transport.onReply();
    });
    return transport;
  },

  async serve(): Promise<void> {
    const requests = open(ENDPOINTS.rawRequest);
    const replies = open(ENDPOINTS.rawReply);
    keep.push(requests, replies);
    drainOn(requests, (buffer, size) => {
      if (!replies.push(buffer.subarray(0, size))) throw new Error(`${ENDPOINTS.rawReply} is full`);
    });
  },

  cleanUp(): void {
    // The queues' memory counts against the UID's RLIMIT_MSGQUEUE until their names are gone.
    [ENDPOINTS.rawRequest, ENDPOINTS.rawReply].forEach(unlinkQueue);
  },
};
