// 5p's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { ns, pod } from '../../../../test/support/namespace-ids.js';
import { judgeSharedPid } from './judge.js';

test('shared pid namespace: pid shared, pause as PID 1, each sees the other; the plain Pod fails each', () => {
  const shared = pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 4, 7));
  const processes = [
    { pid: 1, command: '/pause' },
    { pid: 7, command: 'node dist/apps/sidecar/main.js' },
    { pid: 19, command: 'node dist/apps/app/main.js' },
  ];
  expect(judgeSharedPid({ pod: shared, app: processes, sidecar: processes })).toEqual([]);
  expect(
    judgeSharedPid({
      pod: pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7)),
      app: [{ pid: 1, command: 'node dist/apps/app/main.js' }],
      sidecar: [{ pid: 1, command: 'node dist/apps/sidecar/main.js' }],
    }),
  ).toEqual([
    'pid namespace is not shared: app is in pid:[4], sidecar in pid:[6]',
    'PID 1 in the app\'s container is "node dist/apps/app/main.js", not the sandbox\'s pause',
    "the app's container does not see the sidecar's process",
    "the sidecar's container does not see the app's process",
  ]);
});
