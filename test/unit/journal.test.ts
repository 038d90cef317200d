// The journal on real files: read back across restarts, never torn by a
// failed write, never stopped by a failed compaction, and every line of it
// read or reported (property tests cut it and salt it with garbage).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { Journal, JournalError } from '../../apps/app/journal.js';
import { formatRecords, parseJournal, type JournalRecord } from '../../apps/app/journal-records.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'podmates-journal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function appending(): Journal {
  const { journal } = Journal.read(dir);
  journal.startAppending();
  return journal;
}

test('a line cut short by a crash is reported with its offset, and the next record starts on a line of its own', () => {
  const journal = appending();
  const first: JournalRecord = { t: 'accepted', id: id(1), sentAt: 's1', text: 'one' };
  journal.append(first);
  journal.close();
  appendFileSync(join(dir, 'journal.jsonl'), '{"t":"answered","id":"0000'); // the torn write
  const resumed = appending();
  resumed.append({ t: 'accepted', id: id(2), sentAt: 's2', text: 'two' });
  resumed.close();
  const { replayed } = Journal.read(dir);
  expect(replayed.corrupt.map((c) => c.offset)).toEqual([Buffer.byteLength(JSON.stringify(first)) + 1]);
  expect(replayed.corrupt[0]?.reason).toMatch(/^not JSON: "\{\\"t\\":\\"answered/);
  expect(replayed.records.map((r) => ('id' in r ? r.id : r.t))).toEqual([id(1), id(2)]);
});

test('a record glued to the torn end of an older one is still read', () => {
  const record: JournalRecord = { t: 'accepted', id: id(7), sentAt: 's', text: 'say {"t":"x"} inside' };
  const { records, corrupt } = parseJournal(`{"t":"accepted","id":"${id(6)}","te${JSON.stringify(record)}\n`);
  expect(records).toEqual([record]);
  expect(corrupt.map((c) => c.offset)).toEqual([0]);
  expect(corrupt[0]?.reason).toMatch(/^a torn record before another/);
});

test('every record is checked field by field: a wrong one is reported, never replayed', () => {
  const lines = [
    `{"t":"accepted","id":"${id(1)}","sentAt":"s","text":42}`,
    `{"t":"answered","id":"${id(1)}","processedAt":"p","sha256":"h","words":-1}`,
    `{"t":"accepted","id":"not-a-uuid","sentAt":"s","text":"x"}`,
    `{"t":"toString","id":"${id(1)}"}`,
    '[1,2]',
  ];
  const { records, corrupt } = parseJournal(`${lines.join('\n')}\n`);
  expect(records).toEqual([]);
  expect(corrupt.map((c) => c.reason.split(':')[0])).toEqual([
    'a "accepted" record with a missing or wrong field',
    'a "answered" record with a missing or wrong field',
    'a "accepted" record with a missing or wrong field',
    'unknown record type "toString"',
    'not a JSON object',
  ]);
});

test('a failed compaction leaves the old journal in use, and appends go on', () => {
  const journal = appending();
  journal.append({ t: 'accepted', id: id(1), sentAt: 's1', text: 'one' });
  mkdirSync(join(dir, 'journal.jsonl.compacting')); // the rewrite cannot create its file
  expect(() => journal.rewrite([])).toThrow(/cannot rewrite the journal .*EISDIR/);
  journal.append({ t: 'accepted', id: id(2), sentAt: 's2', text: 'two' });
  journal.close();
  expect(Journal.read(dir).replayed.records.map((r) => ('id' in r ? r.id : r.t))).toEqual([id(1), id(2)]);
});

test('a journal that cannot be opened leaves the app running but unhealthy; a rewrite makes it whole', () => {
  const { journal } = Journal.read(dir);
  expect(journal.healthy).toBe(true);
  mkdirSync(join(dir, 'journal.jsonl')); // in the way of the file
  journal.startAppending();
  expect(journal.healthy).toBe(false);
  expect(journal.error).toMatch(/cannot write the journal .*EISDIR/);
  expect(() => journal.append({ t: 'lost', id: id(1) })).toThrow(JournalError);
  rmSync(join(dir, 'journal.jsonl'), { recursive: true });
  journal.rewrite([{ t: 'lost', id: id(1) }]);
  expect(journal.healthy).toBe(true);
  journal.append({ t: 'lost', id: id(2) });
  journal.close();
  expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
});

test('a missing STATE_DIR is a clear start-up error', () => {
  expect(() => Journal.read(join(dir, 'absent'))).toThrow(JournalError);
  expect(() => Journal.read(join(dir, 'absent'))).toThrow(/STATE_DIR .*absent does not exist: mount the Pod's emptyDir volume there/);
});

const recordArbitrary: fc.Arbitrary<JournalRecord> = fc.oneof(
  fc.record({ t: fc.constant('accepted' as const), id: fc.uuid(), sentAt: fc.string(), text: fc.string({ unit: 'grapheme' }) }),
  fc.record({ t: fc.constant('answered' as const), id: fc.uuid(), processedAt: fc.string(), sha256: fc.string(), words: fc.nat() }),
  fc.record({ t: fc.constant('lost' as const), id: fc.uuid() }),
);

test('property: a journal cut at any byte keeps every whole record before the cut', () => {
  fc.assert(
    fc.property(fc.array(recordArbitrary, { maxLength: 30 }), fc.nat(), (records, cutAt) => {
      const bytes = Buffer.from(formatRecords(records), 'utf8');
      const cut = bytes.subarray(0, cutAt % (bytes.length + 1));
      const whole = formatRecords(records)
        .split('\n')
        .filter(
          (line, i, all) => i < all.length - 1 && Buffer.byteLength(all.slice(0, i + 1).join('\n') + '\n') <= cut.length && line !== '',
        );
      const replayed = parseJournal(cut.toString('utf8'));
      expect(replayed.records.slice(0, whole.length).map((r) => JSON.stringify(r))).toEqual(whole);
    }),
    { numRuns: 300 },
  );
});

test('property: garbage between records, and a torn record glued before one, lose no whole record', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(recordArbitrary, fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), fc.boolean()), { maxLength: 20 }),
      (items) => {
        let text = '';
        for (const [record, garbage, glueTorn] of items) {
          // Garbage on a line of its own (a newline ends it), or the torn start of another record right before this one.
          if (garbage !== undefined) text += `${garbage.replaceAll('\n', ' ')}\n`;
          const line = JSON.stringify(record);
          if (glueTorn) text += line.slice(0, Math.max(1, Math.floor(line.length / 2)));
          text += `${line}\n`;
        }
        const replayed = parseJournal(text);
        const wanted = items.map(([record]) => JSON.stringify(record));
        const got = replayed.records.map((r) => JSON.stringify(r));
        // Every real record is there, in order; garbage that happens to be a valid record may add some.
        let at = 0;
        for (const line of got) if (line === wanted[at]) at += 1;
        expect(at).toBe(wanted.length);
      },
    ),
    { numRuns: 300 },
  );
});

test('property: replay never throws, whatever the bytes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (text) => {
      const { records, corrupt } = parseJournal(text);
      expect(records.length + corrupt.length).toBeLessThanOrEqual(text.split('\n').length);
    }),
    { numRuns: 500 },
  );
  writeFileSync(join(dir, 'journal.jsonl'), '\u0000\uffff{"t":\n');
  expect(Journal.read(dir).replayed.corrupt).toHaveLength(1);
});
