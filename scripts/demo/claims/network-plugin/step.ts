// The network plugin. The article says the details depend on it: here is
// which one the cluster runs, and what it gave the Pod. A new network
// namespace has only `lo`, down; the runtime brings it up and the CNI plugin
// adds the Pod's interface with its IP. Both containers list the same
// interfaces, and the probe Pod has its own. Loopback, the queues, SysV IPC
// and /dev/shm never leave the Pod: no plugin changes 5b over 127.0.0.1, 5c
// or 5k-5n. Traffic to the Pod IP goes through it: 5b's request on the Pod
// IP and 5d's from the probe Pod (a plugin that drops packets turns 5d's
// refused connection into a timeout).
import { judgeInterfaces, showInterfaces } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => 'network plugin: which one, and the interfaces it gave the Pod, the same in both containers',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const app = await target.probe('app').interfaces();
    const sidecar = await target.probe('sidecar').interfaces();
    const outside = await target.probe('outside').interfaces();
    assertCheck('network plugin', judgeInterfaces({ app, sidecar, outsideName: target.outside, outside, address: target.address }));
    const plugin = await target.networkPlugin();
    context.fact('network plugin', plugin);
    return `${plugin}; both containers: ${showInterfaces(app)}; ${target.outside}: ${showInterfaces(outside)}`;
  },
};
