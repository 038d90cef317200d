import { expect, test } from 'vitest';
import type { NamespaceIds } from '../../../apps/shared/namespaces.js';
import { judgeInfraHolds, type PodProcesses } from './infra-judge.js';

const ids = (pid: string, mnt: string, ipc = 'ipc:[10]'): NamespaceIds => ({
  net: 'net:[1]',
  ipc,
  uts: 'uts:[3]',
  pid,
  mnt,
  cgroup: 'cgroup:[4]',
  user: 'user:[5]',
  time: 'time:[6]',
});

const pod = (): PodProcesses => ({
  infra: ids('pid:[20]', 'mnt:[30]'),
  app: ids('pid:[21]', 'mnt:[31]'),
  sidecar: ids('pid:[22]', 'mnt:[32]'),
});

test('a Pod whose containers are in the infra container’s net, ipc and uts namespaces passes', () => {
  expect(judgeInfraHolds(pod())).toEqual([]);
});

test('a sidecar in an IPC namespace of its own is named', () => {
  const seen = pod();
  seen.sidecar = ids('pid:[22]', 'mnt:[32]', 'ipc:[99]');
  expect(judgeInfraHolds(seen)).toEqual(["the sidecar's ipc namespace is not the infra container's: ipc:[99], infra in ipc:[10]"]);
});

test("an app in the infra container's pid namespace is named", () => {
  const seen = pod();
  seen.app = ids('pid:[20]', 'mnt:[31]');
  expect(judgeInfraHolds(seen)).toEqual(["the app is in the infra container's pid namespace (pid:[20]): it should have its own"]);
});
