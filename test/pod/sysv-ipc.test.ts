// System V IPC needs no container to be shared: it belongs to the IPC
// namespace. Objects made in a "Pod" are listed by every process in it, by no
// other Pod, and not by a process that shares everything but the IPC namespace.
// (POSIX shared memory has no such test: /dev/shm is shared by a mount the
// runtime makes, and these Pods have no mount namespace of their own.)
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { SysvObject } from '../../apps/probe/sysv.js';
import { judgeSysv } from '../../scripts/demo/claims/sysv-ipc/judge.js';
import { describePod } from '../support/describe-pod.js';
import { PodBox, serviceUid } from '../support/pod-box.js';

describePod("System V IPC objects belong to the Pod's IPC namespace", () => {
  let pod: PodBox;
  let otherPod: PodBox;
  let ownIpc: PodBox;
  let made: SysvObject[];

  beforeAll(async () => {
    [pod, otherPod] = await Promise.all([PodBox.create('sysv-pod'), PodBox.create('sysv-other-pod')]);
    ownIpc = await PodBox.create('sysv-own-ipc', { allButIpcOf: pod });
    made = await pod.probe().sysvCreate();
  });
  afterAll(() => Promise.all([pod?.dispose(), otherPod?.dispose(), ownIpc?.dispose()]));

  const judge = async (other: PodBox, outside: PodBox) =>
    judgeSysv({
      made,
      maker: 'sidecar',
      other: 'app',
      inOther: await other.probe().sysvList(),
      outsideName: 'another Pod',
      outside: await outside.probe().sysvList(),
    });

  test("a message queue and a semaphore set, owned by the services' UID", () => {
    expect(made.map((object) => object.kind)).toEqual(['message queue', 'semaphore set']);
    expect(made.map((object) => object.uid)).toEqual([serviceUid(), serviceUid()]);
  });

  test('listed with the same key and id by another process of the Pod; not by another Pod', async () => {
    expect(await judge(pod, otherPod)).toEqual([]);
  });

  test('the check fails, naming IPC, for a process that shares all but the IPC namespace', async () => {
    expect(await judge(ownIpc, otherPod)).toEqual([
      expect.stringMatching(
        /^the SysV message queue 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace: IPC is not shared between the containers$/,
      ),
      expect.stringMatching(/^the SysV semaphore set 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace/),
    ]);
  });

  test('the check fails, naming the Pod boundary, when "another Pod" shares the IPC namespace', async () => {
    const problems = await judge(pod, PodBox.alias('sysv-pod-again', pod));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/is visible from another Pod: the IPC namespace reaches beyond the Pod$/);
  });

  test('removed, they are gone from the Pod', async () => {
    const [queue, semaphores] = made;
    await pod.probe().sysvRemove(queue!.id, semaphores!.id);
    expect(await pod.probe().sysvList()).toEqual([]);
  });
});
