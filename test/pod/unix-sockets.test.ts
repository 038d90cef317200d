// An abstract Unix socket needs no container to be shared: it is a name in the
// network namespace. Reached from the same "Pod" (and from a process that
// shares only its network namespace), refused from another.
import { handshakeFiles } from '../../apps/probe/client.js';
import { signal, waitForFiles } from '../../apps/probe/listeners.js';
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
    // The listener says it is bound, and is told to stop, through files in the box's state folder (step 5n's handshake).
    const files = handshakeFiles(pod.stateDir, ['bound', 'done']);
    const held = pod.probe({ ready: files.bound, until: files.done }).unixHold(address, 30_000);
    await waitForFiles([files.bound], 30_000);
    const inside = await pod.probe().unixConnect(address);
    const sameNet = await ownIpc.probe().unixConnect(address);
    const outside = await otherPod.probe().unixConnect(address);
    expect(inside).toEqual([{ ok: true }]);
    // The IPC namespace plays no part: only the network namespace matters.
    expect(sameNet).toEqual([{ ok: true }]);
    expect(outside).toEqual([{ ok: false, code: 'ECONNREFUSED' }]);
    await signal(files.done);
    expect(await held).toMatchObject({ ok: true, accepted: 2 });
  });
});
