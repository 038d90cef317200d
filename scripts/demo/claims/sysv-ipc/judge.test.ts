// 5k's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeSysv } from './judge.js';

test('System V IPC: nothing made is a failure too', () => {
  expect(judgeSysv({ made: [], maker: 'sidecar', other: 'app', inOther: [], outsideName: 'the probe Pod', outside: [] })).toEqual([
    'no SysV object was made in the sidecar',
  ]);
});
