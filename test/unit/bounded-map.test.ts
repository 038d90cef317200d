// BoundedMap (apps/shared/bounded-map.ts): a Map that forgets its oldest entries past a capacity.
import { expect, test } from 'vitest';
import { BoundedMap } from '../../apps/shared/bounded-map.js';

test('the bounded map forgets its oldest entries past capacity', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1);
  map.set('b', 2);
  map.set('a', 3); // replacing keeps its age
  map.set('c', 4);
  expect([map.has('a'), map.has('b'), map.has('c')]).toEqual([false, true, true]);
  expect(map.size).toBe(2);
  expect(map.evicted).toBe(1);
});

test('a capacity that is not a positive integer is refused', () => {
  expect(() => new BoundedMap(0)).toThrow(/capacity must be a positive integer/);
});
