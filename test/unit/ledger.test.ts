// The journal, the ledger and redelivery on real files and a real kernel queue.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Journal, JournalError } from '../../apps/app/journal.js';
import { Ledger } from '../../apps/app/ledger.js';
import { Redelivery } from '../../apps/app/redelivery.js';
import { decodeRequest } from '../../apps/shared/envelope.js';
import { MessageQueue } from '../../apps/shared/message-queue.js';

const PosixMQ = createRequire(import.meta.url)('posix-mq');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'podmates-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const reply = (n: number) => ({ v: 1 as const, id: id(n), processedAt: `p${n}`, sha256: `h${n}`, words: n });

function open(capacity = 100): Ledger {
  const { journal, replayed } = Journal.read(dir);
  journal.startAppending();
  const ledger = new Ledger(journal, capacity);
  ledger.replay(replayed.records, 1000);
  return ledger;
}

test('a restarted app finds what it accepted and what was answered', () => {
  const before = open();
  before.accept(id(1), 's1', 'one', 0n, 50);
  before.accept(id(2), 's2', 'two', 0n, 50);
  expect(before.answer(reply(1)).kind).toBe('first');
  expect(before.answer(reply(1)).kind).toBe('duplicate');
  expect(before.answer(reply(9)).kind).toBe('unknown');
  before.close();

  const after = open();
  expect(after.get(id(1))).toMatchObject({ result: { processedAt: 'p1', sha256: 'h1', words: 1 }, text: null, replies: 1 });
  // Unanswered: its text kept for redelivery, due after the replaying process's first timeout.
  expect(after.get(id(2))).toMatchObject({ text: 'two', result: null, deliveries: 1, dueAt: 1000 });
  expect(after.unansweredIds).toEqual([id(2)]);
});

test('a line cut short by SIGKILL is skipped, and the next record starts on a line of its own', () => {
  const ledger = open();
  ledger.accept(id(1), 's1', 'one', 0n, 50);
  ledger.close();
  appendFileSync(join(dir, 'journal.jsonl'), '{"t":"answered","id":"0000'); // the torn write
  const resumed = open();
  resumed.accept(id(2), 's2', 'two', 0n, 50);
  resumed.close();
  const { replayed } = Journal.read(dir);
  expect(replayed.skipped).toBe(1);
  expect(replayed.records.map((r) => r.id)).toEqual([id(1), id(2)]);
});

test('compaction keeps the unanswered requests and the remembered results, within capacity', () => {
  const ledger = open(50);
  const text = 'x'.repeat(4000);
  for (let n = 1; n <= 400; n++) {
    ledger.accept(id(n), `s${n}`, text, 0n, 50);
    if (n % 100 !== 0) ledger.answer(reply(n)); // every hundredth stays unanswered
  }
  expect(ledger.compactions).toBeGreaterThan(0);
  ledger.close();
  const size = readFileSync(join(dir, 'journal.jsonl')).length;
  expect(size).toBeLessThan(1 << 21);
  const after = open(50);
  expect(after.unansweredIds).toEqual([id(100), id(200), id(300), id(400)]);
  expect(after.get(id(399))?.result?.sha256).toBe('h399');
  expect(after.get(id(1))).toBeUndefined(); // forgotten past the capacity
});

test('a missing STATE_DIR is a clear start-up error', () => {
  expect(() => Journal.read(join(dir, 'absent'))).toThrow(JournalError);
  expect(() => Journal.read(join(dir, 'absent'))).toThrow(/STATE_DIR .*absent does not exist: mount the Pod's emptyDir volume there/);
});

test('redelivery pushes an unanswered request again with the same id, backs off, waits when the queue is full, and gives up at last', () => {
  const spec = { name: `/podmates.test.redelivery.${process.pid}`, maxMessages: 1, messageSize: 256 };
  const queue = new MessageQueue(spec);
  const reader = new MessageQueue(spec);
  const taken: string[] = [];
  try {
    const ledger = open();
    const events: string[] = [];
    const redelivery = new Redelivery(ledger, queue, { timeoutMs: 100, maxTimeoutMs: 300, maxAttempts: 3 }, {
      redelivered: (m) => events.push(`again ${m.deliveries}`),
      gaveUp: (m) => events.push(`gave up ${m.deliveries}`),
    });
    ledger.accept(id(1), 's1', 'hello', 0n, redelivery.firstDueAt(0));
    redelivery.tick(99);
    expect(events).toEqual([]); // not yet due
    redelivery.tick(100);
    expect(events).toEqual(['again 2']);
    expect(ledger.get(id(1))?.dueAt).toBe(300); // doubled: 100 + 200
    redelivery.tick(300); // the queue still holds the first redelivery: wait, do not count
    expect(events).toEqual(['again 2']);
    reader.consume((bytes) => taken.push(decodeRequest(bytes).id));
    expect(taken).toEqual([id(1)]);
    redelivery.tick(400);
    expect(events).toEqual(['again 2', 'again 3']);
    redelivery.tick(10_000);
    expect(events).toEqual(['again 2', 'again 3', 'gave up 3']);
    expect(ledger.get(id(1))).toMatchObject({ failed: 'no reply after 3 deliveries' });
    expect(ledger.inFlight).toBe(0);
  } finally {
    queue.close();
    reader.close();
    const raw = new PosixMQ();
    raw.open({ name: spec.name });
    raw.unlink();
    raw.close();
  }
});

test('with the timeout at 0, redelivery is off: nothing is ever due', () => {
  const ledger = open();
  const redelivery = new Redelivery(ledger, new MessageQueue({ name: '/unused', maxMessages: 1, messageSize: 256 }), { timeoutMs: 0, maxTimeoutMs: 0, maxAttempts: 3 }, {
    redelivered: () => {},
    gaveUp: () => {},
  });
  ledger.accept(id(1), 's1', 'hello', 0n, redelivery.firstDueAt(0));
  expect(ledger.nextDueAt).toBe(Infinity);
  expect(ledger.due(Number.MAX_SAFE_INTEGER)).toEqual([]);
});
