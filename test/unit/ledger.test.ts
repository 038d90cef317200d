// The ledger on a real journal: what a restarted app knows, late replies,
// Idempotency-Keys, quarantine and retention, compaction.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Journal } from '../../apps/app/journal.js';
import { Ledger } from '../../apps/app/ledger.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'podmates-ledger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const reply = (id: string, n: number) => ({ v: 1 as const, id, processedAt: `p${n}`, sha256: `h${n}`, words: n });

function open(capacity = 100): Ledger {
  const { journal, replayed } = Journal.read(dir);
  const ledger = new Ledger(journal, capacity);
  ledger.replay(replayed.records, replayed.corrupt);
  journal.startAppending();
  ledger.begin();
  return ledger;
}

test('a restarted app finds what it accepted, what was answered, and issues ids with the same tag', () => {
  const before = open();
  const [one, two] = [before.ids.next(), before.ids.next()];
  before.accept(one, 's1', 'one', null);
  before.accept(two, 's2', 'two', 'key-2');
  expect(before.answer(reply(one, 1)).kind).toBe('first');
  expect(before.answer(reply(one, 1)).kind).toBe('duplicate');
  expect(before.answer(reply(before.ids.next(), 9)).kind).toBe('unknown');
  before.close();

  const after = open();
  expect(after.ids.issuer).toBe(before.ids.issuer);
  expect(after.get(one)).toMatchObject({ result: { processedAt: 'p1', sha256: 'h1', words: 1 }, text: null, replies: 1 });
  // Unanswered: its text kept; where its copy is, delivery.ts finds out (it starts as taken).
  expect(after.get(two)).toMatchObject({ text: 'two', result: null, deliveries: 1, stage: 'taken', key: 'key-2' });
  expect(after.byKey('key-2')?.id).toBe(two);
  expect(after.unansweredIds).toEqual([two]);
});

test('a late reply wins: a quarantined message that is answered after all is processed, also after a restart', () => {
  const ledger = open();
  const id = ledger.ids.next();
  const message = ledger.accept(id, 's', 'poison?', null);
  ledger.lost(message);
  ledger.fail(id, 'taken 1 times by a sidecar that died before answering');
  expect(ledger.quarantined()).toEqual([{ id, reason: 'taken 1 times by a sidecar that died before answering' }]);
  expect(ledger.answer(reply(id, 3)).kind).toBe('late');
  expect(ledger.get(id)).toMatchObject({ failed: null, result: { words: 3 } });
  expect(ledger.quarantined()).toEqual([]);
  ledger.close();
  expect(open().get(id)).toMatchObject({ failed: null, result: { words: 3 }, lostTakes: 1 });
});

test('lost takes are counted across a restart (a poison message cannot reset its count by crashing the app too)', () => {
  const ledger = open();
  const id = ledger.ids.next();
  const message = ledger.accept(id, 's', 'x', null);
  ledger.lost(message);
  ledger.lost(message);
  ledger.close();
  expect(open().get(id)).toMatchObject({ lostTakes: 2, deliveries: 3 });
});

test("retention: an id forgotten past the capacity is known to be this Pod's and older than what it remembers", () => {
  const ledger = open(3);
  const ids = Array.from({ length: 5 }, (_, i) => ledger.ids.next(Date.UTC(2026, 0, 1, 0, 0, i)));
  for (const [n, id] of ids.entries()) {
    ledger.accept(id, `s${n}`, `text ${n}`, `key-${n}`);
    ledger.answer(reply(id, n));
  }
  expect(ledger.get(ids[0]!)).toBeUndefined();
  expect(ledger.forgottenUpTo).toBe(Date.UTC(2026, 0, 1, 0, 0, 1));
  expect(ledger.ids.issuedAt(ids[1]!)).toBeLessThanOrEqual(ledger.forgottenUpTo);
  expect(ledger.ids.issuedAt(ids[2]!)).toBeGreaterThan(ledger.forgottenUpTo);
  // The key of a forgotten message is forgotten with it: its memory stays bounded.
  expect(ledger.byKey('key-0')).toBeUndefined();
  expect(ledger.byKey('key-4')?.id).toBe(ids[4]);
  ledger.rewrite(); // compaction keeps the boundary
  ledger.close();
  expect(open(3).forgottenUpTo).toBe(Date.UTC(2026, 0, 1, 0, 0, 1));
});

test('compaction keeps the unanswered requests, their lost takes and the remembered results, within capacity', () => {
  const ledger = open(50);
  const text = 'x'.repeat(4000);
  const ids: string[] = [];
  for (let n = 1; n <= 400; n++) {
    const id = ledger.ids.next();
    ids.push(id);
    const message = ledger.accept(id, `s${n}`, text, null);
    if (n % 100 !== 0)
      ledger.answer(reply(id, n)); // every hundredth stays unanswered
    else ledger.lost(message);
  }
  expect(ledger.compactions).toBeGreaterThan(0);
  ledger.close();
  expect(readFileSync(join(dir, 'journal.jsonl')).length).toBeLessThan(1 << 21);
  const after = open(50);
  expect(after.unansweredIds).toEqual([ids[99], ids[199], ids[299], ids[399]]);
  expect(after.get(ids[99]!)).toMatchObject({ lostTakes: 1, text });
  expect(after.get(ids[398]!)?.result?.sha256).toBe('h399');
  expect(after.get(ids[0]!)).toBeUndefined(); // forgotten past the capacity
});
