// 5l's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeShm } from './judge.js';

test('shared memory: read back in the other container, absent outside; each failure names the /dev/shm devices', () => {
  const seen = {
    path: '/dev/shm/podmates-x',
    text: 'hello',
    writer: 'app',
    written: { device: '0:187' },
    reader: 'sidecar',
    read: { ok: true, text: 'hello', device: '0:187' },
    outsideName: 'the probe Pod',
    outside: { ok: false, error: 'ENOENT', device: '0:200' },
  };
  expect(judgeShm(seen)).toEqual([]);
  expect(judgeShm({ ...seen, read: { ok: false, error: 'ENOENT', device: '0:190' } })).toEqual([
    "/dev/shm/podmates-x written in the app cannot be read in the sidecar (ENOENT): they do not share the Pod's /dev/shm (app on device 0:187, sidecar on 0:190)",
  ]);
  expect(judgeShm({ ...seen, outside: { ok: true, text: 'hello', device: '0:187' } })).toEqual([
    "/dev/shm/podmates-x can be read from the probe Pod: its /dev/shm (device 0:187) is the Pod's",
  ]);
});
