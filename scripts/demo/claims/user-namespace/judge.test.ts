import { expect, test } from 'vitest';
import { judgeUserNamespace, parseUidMap, type UserNamespaceSeen } from './judge.js';

// As measured on the user-namespace node: kubelet ranges of 65,536 from 65,536 up.
const NET = 'net:[4026532420]';
const IPC = 'ipc:[4026532490]';
const podUsers = (userns: string, outside: number) => ({
  userns,
  net: NET,
  ipc: IPC,
  uid: 10001,
  uidMap: `         0 ${outside}      65536`,
});
const SEEN: UserNamespaceSeen = {
  app: podUsers('user:[4026532419]', 2005467136),
  sidecar: podUsers('user:[4026532419]', 2005467136),
  node: 'user:[4026531837]',
  outside: 'user:[4026531837]',
  appOnNode: 2005477137,
  other: podUsers('user:[4026532500]', 189333504),
  sandbox: { pid: 1350, command: 'pause', user: 'user:[4026532419]', net: NET, ipc: IPC },
};

test("a Pod's own user namespace, shared by its containers, its UIDs a range of the node's: no problem", () => {
  expect(judgeUserNamespace(SEEN)).toEqual([]);
  expect(parseUidMap(SEEN.app.uidMap)).toEqual([{ inside: 0, outside: 2005467136, count: 65536 }]);
});

test("hostUsers left at true (or ignored by the runtime): the node's namespace and an identity map, each said", () => {
  const host = { userns: 'user:[4026531837]', net: NET, ipc: IPC, uid: 10001, uidMap: '         0          0 4294967295' };
  const sandbox = { ...SEEN.sandbox, user: 'user:[4026531837]' };
  expect(judgeUserNamespace({ ...SEEN, app: host, sidecar: host, appOnNode: 10001, other: host, sandbox })).toEqual([
    "the app is in the node's user namespace (user:[4026531837]): hostUsers: false was not set, or the node's runtime ignored it",
    'a second Pod of the Deployment is in the same user namespace (user:[4026531837])',
    "the app's uid_map maps UIDs 0-4294967294 to the same node UIDs: no user namespace of its own",
    "the second Pod's uid_map maps UIDs 0-4294967294 to the same node UIDs: no user namespace of its own",
  ]);
});

test('the sidecar in a user namespace of its own: said', () => {
  expect(judgeUserNamespace({ ...SEEN, sidecar: podUsers('user:[4026532999]', 2005467136) })).toEqual([
    "the app is in user:[4026532419] and the sidecar in user:[4026532999]: a Pod's containers share its user namespace",
  ]);
});

test('the process on the node under another UID than the map gives, and two Pods with overlapping ranges: said', () => {
  expect(judgeUserNamespace({ ...SEEN, appOnNode: 10001, other: podUsers('user:[4026532500]', 2005467136 + 1000) })).toEqual([
    'the app runs as UID 10001 inside and as 10001 on the node, not 2005477137 (its uid_map: 2005467136 + 10001)',
    "the two Pods' node UIDs overlap: 0-65535 → 2005467136-2005532671 and 0-65535 → 2005468136-2005533671",
  ]);
});

test('a uid_map that is not one range of three numbers: said, not guessed', () => {
  expect(judgeUserNamespace({ ...SEEN, app: { ...SEEN.app, uidMap: 'no map' } })).toEqual([
    'the app\'s uid_map is not lines of three numbers: "no map"',
  ]);
  expect(parseUidMap('0 1 2\n3 4 5')).toHaveLength(2);
});

test("a sandbox that does not hold the Pod's user namespace, or is not pause: said, each namespace by name", () => {
  const sandbox = { pid: 1350, command: 'sleep', user: 'user:[4026531837]', net: 'net:[4026532999]', ipc: IPC };
  expect(judgeUserNamespace({ ...SEEN, sandbox })).toEqual([
    "the sandbox's sleep (pid 1350 on the node) is in user:[4026531837], the app in user:[4026532419]",
    "the sandbox's sleep (pid 1350 on the node) is in net:[4026532999], the app in net:[4026532420]",
    'the sandbox\'s process is "sleep", not the pause program',
  ]);
});
