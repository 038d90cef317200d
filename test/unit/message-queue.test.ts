// MessageQueue on real kernel queues (this process's IPC namespace), each test
// with its own queue names, unlinked afterwards.
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { decodeRequest, encodeRequest } from '../../apps/shared/envelope.js';
import { MessageQueue, probeQueue, QueueError } from '../../apps/shared/message-queue.js';

// The raw addon, for the clean-up only: the part of its API used here.
const PosixMQ = createRequire(import.meta.url)('posix-mq') as new () => {
  open(config: { name: string }): void;
  unlink(): void;
  close(): void;
};
const opened: MessageQueue[] = [];
let counter = 0;

function pair(maxMessages = 4) {
  const spec = { name: `/podmates.test.${process.pid}.${++counter}`, maxMessages, messageSize: 256 };
  const producer = new MessageQueue(spec);
  const consumer = new MessageQueue(spec);
  opened.push(producer, consumer);
  return { spec, producer, consumer };
}

afterEach(() => {
  const names = new Set(opened.map((queue) => queue.spec.name));
  for (const queue of opened.splice(0)) queue.close();
  for (const name of names) {
    const raw = new PosixMQ();
    try {
      raw.open({ name });
    } catch {
      continue; // never created (the test refused before opening)
    }
    raw.unlink();
    raw.close();
  }
});

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
};

test('push waits for room instead of dropping: every message arrives once, in order', async () => {
  const { producer, consumer } = pair(4);
  producer.open();
  const received: string[] = [];
  const sending = (async () => {
    for (let i = 0; i < 25; i++) await producer.push(Buffer.from(`m${i}`));
  })();
  consumer.consume((message) => received.push(message.toString()));
  await sending;
  await until(() => received.length === 25, '25 messages');
  expect(received).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
});

test('a push that waits keeps its own bytes, though the write buffer it was encoded into is reused meanwhile', async () => {
  const { producer, consumer } = pair(2);
  producer.open();
  expect(producer.tryPush(Buffer.from('a')) && producer.tryPush(Buffer.from('b'))).toBe(true);
  const request = (text: string) => ({ id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', sentAt: '2026-01-01T00:00:00.000Z', text });
  const waiting = producer.push(encodeRequest(request('first'), producer.writeBuffer));
  encodeRequest(request('second, written over it'), producer.writeBuffer);
  const received: string[] = [];
  consumer.consume((message) => received.push(received.length < 2 ? message.toString() : decodeRequest(message).text));
  await waiting;
  await until(() => received.length === 3, '3 messages');
  expect(received).toEqual(['a', 'b', 'first']);
});

test('a paused consumer lets the queue fill (tryPush says false) and resumes with nothing lost', async () => {
  const { producer, consumer } = pair(3);
  const received: string[] = [];
  consumer.consume((message) => received.push(message.toString()));
  consumer.pause();
  expect([1, 2, 3, 4].map((i) => producer.tryPush(Buffer.from(`m${i}`)))).toEqual([true, true, true, false]);
  expect(producer.depth).toBe(3);
  consumer.resume();
  await until(() => received.length === 3, '3 messages');
  expect(received).toEqual(['m1', 'm2', 'm3']);
});

test('a consumer that starts on a full queue keeps receiving afterwards', async () => {
  const { producer, consumer } = pair(4);
  for (let i = 0; i < 4; i++) expect(producer.tryPush(Buffer.from(`early${i}`))).toBe(true);
  const received: string[] = [];
  consumer.consume((message) => received.push(message.toString()));
  for (let i = 0; i < 12; i++) await producer.push(Buffer.from(`late${i}`));
  await until(() => received.length === 16, '16 messages');
  expect(received.slice(4)).toEqual(Array.from({ length: 12 }, (_, i) => `late${i}`));
});

test('a message larger than the queue allows is refused before it reaches the kernel', () => {
  const { producer } = pair();
  expect(() => producer.tryPush(Buffer.alloc(257))).toThrow(/257 bytes exceeds .*messageSize 256/);
});

test('opening an absent queue without creating it fails with ENOENT, explained', () => {
  expect(() => probeQueue({ name: `/podmates.absent.${process.pid}`, maxMessages: 1, messageSize: 256 })).toThrow(
    /No such file or directory \(nobody has created the queue in this IPC namespace\)/,
  );
});

test('a queue that exists with other attributes is refused with what to align', () => {
  const { spec, producer } = pair(4);
  producer.open();
  const other = new MessageQueue({ ...spec, messageSize: 512 });
  expect(() => other.open()).toThrow(QueueError);
  expect(() => other.open()).toThrow(/exists with maxMessages=4 messageSize=256, but this container expects 4\/512/);
});

test('resume after close is no error (a reply pushed at shutdown resumes a closed queue)', () => {
  const { consumer } = pair();
  consumer.consume(() => {});
  consumer.close();
  expect(() => consumer.resume()).not.toThrow();
});
