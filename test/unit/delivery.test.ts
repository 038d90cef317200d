// Delivery on a real kernel queue with a fake clock: copies are tracked by
// takes, never by time; a copy still in the queue is never pushed again; a
// copy taken by a sidecar that no longer holds it is pushed again at once;
// a poison message is quarantined; the timer follows the earliest due check.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { Delivery, type DeliveryConfig } from '../../apps/app/delivery.js';
import { DueTimer } from '../../apps/app/due-timer.js';
import { Journal } from '../../apps/app/journal.js';
import { Ledger } from '../../apps/app/ledger.js';
import { decodeRequest, encodeRequest } from '../../apps/shared/envelope.js';
import { MessageQueue } from '../../apps/shared/message-queue.js';

const PosixMQ = createRequire(import.meta.url)('posix-mq') as new () => {
  open(config: { name: string }): void;
  shift(buffer: Buffer): number | false;
  unlink(): void;
  close(): void;
};
const spec = { name: `/podmates.test.delivery.${process.pid}`, maxMessages: 3, messageSize: 512 };

let dir: string;
let app: MessageQueue;
beforeEach(() => {
  vi.useFakeTimers();
  dir = mkdtempSync(join(tmpdir(), 'podmates-delivery-'));
  app = new MessageQueue(spec);
  app.open();
});
afterEach(() => {
  vi.useRealTimers();
  app.close();
  const raw = new PosixMQ();
  raw.open({ name: spec.name });
  raw.unlink();
  raw.close();
  rmSync(dir, { recursive: true, force: true });
});

function ledger(): Ledger {
  const { journal, replayed } = Journal.read(dir);
  const made = new Ledger(journal, 100);
  made.replay(replayed.records);
  journal.startAppending();
  return made;
}

/** What the sidecar answering now holds; null: it does not answer. */
let holds: Set<string> | null = new Set();
/** What it has answered (its reply pushed). */
let answered = new Set<string>();
const events: string[] = [];

function delivery(l: Ledger, config: DeliveryConfig = { checkMs: 1000, quarantineAfter: 3 }): Delivery {
  events.length = 0;
  holds = new Set();
  answered = new Set();
  return new Delivery(
    l,
    app,
    () => {},
    async () => (holds === null ? null : { held: holds, answered }),
    config,
    {
      redelivered: (m, why) => events.push(`again ${m.text} (${m.deliveries})${why.startsWith('reply lost') ? ', reply lost' : ''}`),
      quarantined: (m, reason) => events.push(`quarantined ${m.id}: ${reason}`),
      sidecarAnswers: (answers) => events.push(`sidecar answers: ${answers}`),
    },
    () => Date.now(),
  );
}

function accept(l: Ledger, d: Delivery, text: string) {
  const message = l.accept(l.ids.next(), 's', text, null);
  d.send(message);
  return message;
}

function takeOne(): string {
  const raw = new PosixMQ();
  raw.open({ name: spec.name });
  const buffer = Buffer.alloc(spec.messageSize);
  const size = raw.shift(buffer);
  raw.close();
  if (size === false) throw new Error('the queue is empty');
  return decodeRequest(buffer.subarray(0, size)).id;
}

test('a sidecar away for an hour: the copies wait in the queue, never pushed again, nothing fails', async () => {
  const l = ledger();
  const d = delivery(l);
  accept(l, d, 'one');
  accept(l, d, 'two');
  holds = null; // the sidecar does not answer
  await vi.advanceTimersByTimeAsync(3_600_000);
  expect(app.depth).toBe(2);
  expect(events).toEqual([]);
  expect(l.inFlight).toBe(2);
  expect([...l.unanswered].map((m) => [m.stage, m.deliveries])).toEqual([
    ['queued', 1],
    ['queued', 1],
  ]);
});

test('a copy taken by a sidecar that died is pushed again at once when the sidecar answering now does not hold it', async () => {
  const l = ledger();
  const d = delivery(l);
  const one = accept(l, d, 'one');
  expect(takeOne()).toBe(one.id); // taken ...
  holds = null; // ... by a sidecar that died; the next one is not up yet
  await vi.advanceTimersByTimeAsync(5000);
  expect(events).toEqual(['sidecar answers: false']);
  expect(one.stage).toBe('taken');
  holds = new Set(); // the next sidecar answers: it does not hold it
  await vi.advanceTimersByTimeAsync(1000);
  expect(events).toEqual(['sidecar answers: false', 'sidecar answers: true', 'again one (2)']);
  expect(one).toMatchObject({ stage: 'queued', lostTakes: 1, deliveries: 2 });
  expect(app.depth).toBe(1);
});

test('a copy the sidecar answered whose reply no living app read (an app SIGKILLed after reading it) is pushed again, not counted as a lost take', async () => {
  const l = ledger();
  const d = delivery(l);
  const one = accept(l, d, 'one');
  takeOne();
  answered = new Set([one.id]);
  await vi.advanceTimersByTimeAsync(1000);
  expect(events).toEqual(['again one (2), reply lost']);
  expect(one).toMatchObject({ stage: 'queued', lostTakes: 0, deliveries: 2 });
});

test('a copy the sidecar holds (slow work) is left alone, however long it takes', async () => {
  const l = ledger();
  const d = delivery(l);
  const one = accept(l, d, 'one');
  takeOne();
  holds = new Set([one.id]);
  await vi.advanceTimersByTimeAsync(60_000);
  expect(events).toEqual([]);
  expect(one).toMatchObject({ stage: 'taken', deliveries: 1, lostTakes: 0 });
});

test('a poison message is quarantined after its third lost copy; the others pass', async () => {
  const l = ledger();
  const d = delivery(l);
  const poison = accept(l, d, 'poison');
  const fine = accept(l, d, 'fine');
  for (let i = 0; i < 3; i++) {
    expect(takeOne()).toBe(poison.id); // every sidecar that takes it dies
    await vi.advanceTimersByTimeAsync(2000);
    if (i === 0) {
      expect(takeOne()).toBe(fine.id);
      l.answer({ v: 1, id: fine.id, processedAt: 'p', sha256: 'h', words: 1 });
    }
  }
  expect(events).toEqual([
    'again poison (2)',
    'again poison (3)',
    `quarantined ${poison.id}: taken 3 times by a sidecar that died before answering`,
  ]);
  expect(l.get(poison.id)?.failed).toMatch(/taken 3 times/);
  expect(l.get(fine.id)?.result).not.toBeNull();
  expect(app.depth).toBe(0);
});

test('at start, the copies a previous app left are taken back and pushed again in order; the rest are asked about at once', async () => {
  const first = ledger();
  const d1 = delivery(first);
  const a = accept(first, d1, 'a');
  const b = accept(first, d1, 'b');
  const c = accept(first, d1, 'c');
  expect(takeOne()).toBe(a.id); // taken by a sidecar that then died
  d1.stop();
  first.close();
  // A request the app never made (an init container's): kept, in its place.
  const foreign = '00000000-0000-4000-8000-0000000000a1';
  app.tryPush(encodeRequest({ id: foreign, sentAt: 's', text: 'left by an init container' }));

  const second = ledger(); // the restarted app
  const d2 = delivery(second);
  expect(d2.adopt()).toEqual({ found: 2, foreign: 1, stale: 0 });
  expect(app.depth).toBe(3);
  await vi.advanceTimersByTimeAsync(0);
  // Lost, and the queue (3 here) is full: it waits for room.
  expect(second.get(a.id)?.stage).toBe('unqueued');
  expect(takeOne()).toBe(b.id);
  await vi.advanceTimersByTimeAsync(100);
  expect(events).toEqual(['again a (2)']);
  expect([takeOne(), takeOne(), takeOne()]).toEqual([c.id, foreign, a.id]);
});

test('a full queue: the lost copy waits for room, and new messages are refused until it is in', async () => {
  const l = ledger();
  const d = delivery(l);
  const one = accept(l, d, 'one');
  takeOne();
  accept(l, d, 'two');
  accept(l, d, 'three');
  accept(l, d, 'four');
  expect(d.hasRoom()).toBe(false);
  await vi.advanceTimersByTimeAsync(1000);
  expect(one.stage).toBe('unqueued'); // lost, and the queue is full

  expect(d.backlog).toBe(1);
  takeOne();
  expect(d.hasRoom()).toBe(false); // the lost copy goes first
  await vi.advanceTimersByTimeAsync(100);
  expect(one.stage).toBe('queued');
  expect(events).toEqual(['again one (2)']);
});

test('with REDELIVERY_CHECK_MS=0 nothing is ever pushed again (the negative control of the chaos test)', async () => {
  const l = ledger();
  const d = delivery(l, { checkMs: 0, quarantineAfter: 3 });
  const one = accept(l, d, 'one');
  takeOne();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(events).toEqual([]);
  expect(one.deliveries).toBe(1);
});

test('the drain asks at once, without waiting for the check time', async () => {
  const l = ledger();
  const d = delivery(l, { checkMs: 60_000, quarantineAfter: 3 });
  accept(l, d, 'one');
  takeOne();
  d.drain();
  await vi.advanceTimersByTimeAsync(0);
  expect(events).toEqual(['again one (2)']);
});

test('the timer always follows the earliest due time: an earlier one moves it, a later one does not', () => {
  const fired: number[] = [];
  const timer = new DueTimer(
    () => fired.push(Date.now()),
    () => Date.now(),
  );
  const start = Date.now();
  timer.at(start + 60_000);
  timer.at(start + 5000);
  expect(timer.next).toBe(start + 5000);
  timer.at(start + 30_000);
  expect(timer.next).toBe(start + 5000);
  vi.advanceTimersByTime(5000);
  expect(fired).toEqual([start + 5000]);
  expect(timer.next).toBe(Infinity);
  vi.advanceTimersByTime(60_000);
  expect(fired).toHaveLength(1);
});

test('a message due in 5 s is looked at in 5 s even when another waits in a 60 s back-off', async () => {
  const l = ledger();
  const d = delivery(l, { checkMs: 5000, quarantineAfter: 3 });
  const slow = accept(l, d, 'slow');
  takeOne();
  holds = new Set([slow.id]);
  await vi.advanceTimersByTimeAsync(5000); // held: looked at again in 5 s ...
  slow.checkAt = Date.now() + 60_000; // ... say 60 s instead, as the old back-off would have
  const fresh = accept(l, d, 'fresh');
  takeOne();
  holds = new Set([slow.id]);
  await vi.advanceTimersByTimeAsync(5000);
  expect(events).toEqual(['again fresh (2)']);
  expect(fresh.lostTakes).toBe(1);
});
