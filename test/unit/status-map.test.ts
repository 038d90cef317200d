import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { BoundedMap } from '../../apps/shared/bounded-map.js';
import { countWords, Worker } from '../../apps/sidecar/worker.js';

const request = (id: string, text = 'a b c') => ({ id, sentAt: '2026-01-01T00:00:00.000Z', text });

test('the bounded map forgets its oldest entries past capacity', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  map.set('a', 3); // replacing keeps its age
  map.set('c', 4);
  expect([map.has('a'), map.has('b'), map.has('c')]).toEqual([false, true, true]);
  expect(map.size).toBe(2);
  expect(map.evicted).toBe(1);
  expect(() => new BoundedMap(0)).toThrow(/capacity must be a positive integer/);
});

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

test('word counting', () => {
  expect(countWords('')).toBe(0);
  expect(countWords('   ')).toBe(0);
  expect(countWords(' two\twords ')).toBe(2);
  expect(countWords('日本語 テキスト')).toBe(2);
});
