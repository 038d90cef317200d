// Who holds the namespace, and when a Lease left behind may be taken over.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { abandoned, holderOf, leaseFor, processRuns, type Holder } from '../../scripts/lib/run-lease.js';

const holder: Holder = { command: 'npm run demo', host: 'laptop', pid: 4242, since: '2026-12-07T18:50:00.123000Z' };

test('the holder written into a Lease is the holder read back', () => {
  expect(holderOf(leaseFor(holder))).toEqual(holder);
});

test('a Lease without the annotations still names something', () => {
  expect(holderOf({ metadata: {} })).toMatchObject({ command: 'an unknown command', host: 'an unknown machine', since: 'an unknown time' });
});

test('this process runs; one that has exited does not; a pid that cannot be does not', () => {
  expect(processRuns(process.pid)).toBe(true);
  const gone = spawnSync('true').pid;
  expect(processRuns(gone)).toBe(false);
  expect(processRuns(Number.NaN)).toBe(false);
  expect(processRuns(0)).toBe(false);
});

test('taken over only when it is from this machine and its process is gone', () => {
  const runs = (pid: number) => pid === 4242;
  expect(abandoned(holder, 'laptop', runs)).toBe(false);
  expect(abandoned({ ...holder, pid: 1 }, 'laptop', runs)).toBe(true);
  // Another machine's process cannot be asked: its Lease stays until deleted by hand.
  expect(abandoned({ ...holder, pid: 1 }, 'server', runs)).toBe(false);
});
