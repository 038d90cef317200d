import { expect, test } from 'vitest';
import { RecentRoundTrips } from '../../apps/app/recent-round-trips.js';

test('the chart keeps the last round trips only, oldest first, and hands out a copy', () => {
  const trips = new RecentRoundTrips(3);
  for (const ms of [1, 2, 3, 4]) trips.add(ms, ms * 1000);
  expect(trips.list()).toEqual([
    { at: 2000, ms: 2 },
    { at: 3000, ms: 3 },
    { at: 4000, ms: 4 },
  ]);
  trips.list().pop();
  expect(trips.list()).toHaveLength(3);
});
