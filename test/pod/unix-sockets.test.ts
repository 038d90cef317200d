// An abstract Unix socket needs no container to be shared: it is a name in the
// network namespace. Reached from the same "Pod" (and from a process that
// shares only its network namespace), refused from another.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { describePod } from '../support/describe-pod.js';
import { PodBox } from '../support/pod-box.js';

describePod('abstract Unix sockets belong to the network namespace', () => {
  let pod: PodBox;
  let otherPod: PodBox;
  let ownIpc: PodBox;

  beforeAll(async () => {
    [pod, otherPod] = await Promise.all([PodBox.create('unix-pod'), PodBox.create('unix-other-pod')]);
    ownIpc = await PodBox.create('unix-own-ipc', { allButIpcOf: pod });
  });
  afterAll(() => Promise.all([pod?.dispose(), otherPod?.dispose(), ownIpc?.dispose()]));

  test('a listener in one Pod: connected from inside it, refused from another', async () => {
    const address = `@podmates-box-${process.pid}`;
    const held = pod.probe('unix-hold', address, '4000');
    await sleep(1500);
    const inside = await pod.probe('unix-connect', address);
    const sameNet = await ownIpc.probe('unix-connect', address);
    const outside = await otherPod.probe('unix-connect', address);
    expect(inside).toEqual([{ ok: true }]);
    // The IPC namespace plays no part: only the network namespace matters.
    expect(sameNet).toEqual([{ ok: true }]);
    expect(outside).toEqual([{ ok: false, code: 'ECONNREFUSED' }]);
    expect(await held).toMatchObject({ ok: true, accepted: 2 });
  });
});
