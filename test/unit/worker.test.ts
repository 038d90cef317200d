// The sidecar's worker (apps/sidecar/worker.ts): the work done once per id,
// the status map that remembers it, and the word count.
import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { countWords, Worker } from '../../apps/sidecar/worker.js';

const request = (id: string, text = 'a b c') => ({ id, sentAt: '2026-01-01T00:00:00.000Z', text });

test('the worker digests and counts words once per id; a redelivery gets the same reply again, not the work again', () => {
  const worker = new Worker(10);
  const first = worker.process(request('id-1', 'hello  pod\nworld'), new Date('2026-01-01T00:00:01Z'));
  const reply = {
    v: 1,
    id: 'id-1',
    processedAt: '2026-01-01T00:00:01.000Z',
    sha256: createHash('sha256').update('hello  pod\nworld').digest('hex'),
    words: 3,
  };
  expect(first).toEqual({ reply, redelivery: false });
  expect(worker.process(request('id-1', 'hello  pod\nworld'), new Date('2026-01-01T00:00:09Z'))).toEqual({ reply, redelivery: true });
  expect(worker.statuses.get('id-1')).toMatchObject({ deliveries: 2, words: 3 });
});

test('the idempotency window is the status capacity; past it the (pure) work is done again', () => {
  const worker = new Worker(1);
  worker.process(request('id-1'));
  worker.process(request('id-2'));
  expect(worker.process(request('id-1')).redelivery).toBe(false);
});

test('words are what whitespace separates, in any script; blank text has none', () => {
  expect(countWords('')).toBe(0);
  expect(countWords('   ')).toBe(0);
  expect(countWords(' two\twords ')).toBe(2);
  expect(countWords('日本語 テキスト')).toBe(2);
});
