import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { BoundedMap } from '../../apps/shared/bounded-map.js';
import { Tracker } from '../../apps/app/tracker.js';
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

test('the worker digests and counts words once per id; a redelivery is counted, not redone', () => {
  const worker = new Worker(10);
  const first = worker.process(request('id-1', 'hello  pod\nworld'), new Date('2026-01-01T00:00:01Z'));
  expect(first).toEqual({
    v: 1,
    id: 'id-1',
    processedAt: '2026-01-01T00:00:01.000Z',
    sha256: createHash('sha256').update('hello  pod\nworld').digest('hex'),
    words: 3,
  });
  expect(worker.process(request('id-1', 'hello  pod\nworld'))).toBeNull();
  expect(worker.statuses.get('id-1')).toMatchObject({ deliveries: 2, words: 3 });
});

test('the idempotency window is the status capacity', () => {
  const worker = new Worker(1);
  worker.process(request('id-1'));
  worker.process(request('id-2'));
  expect(worker.process(request('id-1'))).not.toBeNull();
});

test('word counting', () => {
  expect(countWords('')).toBe(0);
  expect(countWords('   ')).toBe(0);
  expect(countWords(' two\twords ')).toBe(2);
  expect(countWords('日本語 テキスト')).toBe(2);
});

test('the tracker measures the first reply and counts the others as duplicates', () => {
  const tracker = new Tracker(10);
  tracker.accept('id-1', 'sent', 1_000_000n);
  expect(tracker.reply('id-1', 'processed', 3_500_000n)).toEqual({ first: true, seconds: 0.0025 });
  expect(tracker.reply('id-1', 'again', 4_000_000n)).toEqual({ first: false, seconds: null });
  expect(tracker.accepted.get('id-1')).toEqual({ acceptedAt: 1_000_000n, sentAt: 'sent', replies: 2, roundTripMs: 2.5, processedAt: 'processed' });
  expect(tracker.reply('unknown', 'x')).toEqual({ first: false, seconds: null });
});
