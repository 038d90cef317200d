// The namespace judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { compareNamespaces } from '../../../apps/shared/namespaces.js';
import { ns, pod } from '../../../test/support/namespace-ids.js';
import { judgeNamespaces, POD_NAMESPACES } from './namespaces.js';

test('namespaces: a real Pod shares net, ipc, uts and keeps pid, mnt apart', () => {
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7)), POD_NAMESPACES)).toEqual([]);
  expect(compareNamespaces(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 6, 7))).toEqual({
    net: 'shared',
    ipc: 'shared',
    uts: 'shared',
    pid: 'separate',
    mnt: 'separate',
    cgroup: 'shared',
    user: 'shared',
    time: 'shared',
  });
});

test('namespaces: each missing or extra sharing is named', () => {
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(9, 8, 3, 6, 7)), POD_NAMESPACES)).toEqual([
    'net namespace is not shared: app is in net:[1], sidecar in net:[9]',
    'ipc namespace is not shared: app is in ipc:[2], sidecar in ipc:[8]',
  ]);
  expect(judgeNamespaces(pod(ns(1, 2, 3, 4, 5), ns(1, 2, 3, 4, 7)), POD_NAMESPACES)).toEqual([
    'pid namespace is shared (pid:[4]) but each container should have its own',
  ]);
  expect(judgeNamespaces({ error: 'sidecar unreachable' }, POD_NAMESPACES)[0]).toMatch(/did not report both containers' namespaces/);
});
