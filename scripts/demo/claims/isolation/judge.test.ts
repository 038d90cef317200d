// 5d's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeIsolation } from './judge.js';

const isolated = {
  queue: { ok: false, error: 'cannot open message queue /q: No such file or directory (hint)' },
  sidecarPort: { ok: false, code: 'ECONNREFUSED' },
  sidecarAddress: 'http://10.0.0.5:9090',
};

test('isolation: passes when the queue is absent and the port refused from outside', () => {
  expect(judgeIsolation(isolated)).toEqual([]);
});

test('isolation: a reachable queue or sidecar is named, and so is a failure for another reason', () => {
  expect(judgeIsolation({ ...isolated, queue: { ok: true, depth: 0 } })).toEqual([expect.stringContaining('the IPC namespace is shared')]);
  expect(judgeIsolation({ ...isolated, sidecarPort: { ok: true } })).toEqual([
    "the sidecar at http://10.0.0.5:9090 accepted a connection from outside the Pod: it should only be reachable on the Pod's loopback",
  ]);
  expect(judgeIsolation({ ...isolated, queue: { ok: false, error: 'Permission denied' } })).toEqual([
    expect.stringContaining('not because it does not exist there'),
  ]);
  expect(judgeIsolation({ ...isolated, sidecarPort: { ok: false, code: 'ETIMEDOUT' } })).toEqual([
    expect.stringContaining('ETIMEDOUT, expected ECONNREFUSED'),
  ]);
});
