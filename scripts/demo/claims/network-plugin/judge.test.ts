// 5o's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeInterfaces } from './judge.js';

test('interfaces: one list for both containers, lo up, the Pod IP inside only; each failure says which', () => {
  const pod = [
    { name: 'eth0', state: 'up', addresses: ['10.244.0.5/24'] },
    { name: 'lo', state: 'unknown', addresses: ['127.0.0.1/8'] },
  ];
  const outside = [
    { name: 'eth0', state: 'up', addresses: ['10.244.0.9/24'] },
    { name: 'lo', state: 'unknown', addresses: ['127.0.0.1/8'] },
  ];
  const seen = { app: pod, sidecar: pod, outsideName: 'the probe Pod', outside, address: '10.244.0.5' };
  expect(judgeInterfaces(seen)).toEqual([]);
  expect(judgeInterfaces({ ...seen, sidecar: outside, outside: pod })).toEqual([
    'the app sees eth0 10.244.0.5/24; lo 127.0.0.1/8, the sidecar eth0 10.244.0.9/24; lo 127.0.0.1/8: not one network namespace',
    "the probe Pod has the Pod's address 10.244.0.5 too: it is in the Pod's network namespace",
  ]);
  // A fresh network namespace that nobody set up: lo down, no eth0.
  expect(
    judgeInterfaces({
      ...seen,
      app: [{ name: 'lo', state: 'down', addresses: [] }],
      sidecar: [{ name: 'lo', state: 'down', addresses: [] }],
    }),
  ).toEqual([
    'lo is not up with 127.0.0.1/8 in the Pod: {"name":"lo","state":"down","addresses":[]}',
    'no interface of the Pod has its address 10.244.0.5: lo -',
  ]);
});
