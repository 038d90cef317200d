// Work a step starts and awaits later: its failure, while nothing awaits it
// yet, must not be an unhandled rejection (Node ends the run on one; vitest
// fails the run on one too, so this test fails without inBackground).
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { inBackground } from '../../scripts/lib/wait.js';

test('a failure before anyone awaits is held for the await, not thrown at the process', async () => {
  const work = inBackground(sleep(5).then(() => Promise.reject(new Error('the log follow timed out'))));
  // The step is busy elsewhere while the work fails.
  await sleep(30);
  await expect(work).rejects.toThrow('the log follow timed out');
});
