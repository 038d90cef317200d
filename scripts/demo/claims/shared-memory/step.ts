// POSIX shared memory: a file under /dev/shm written in the app is read in
// the sidecar, and does not exist outside the Pod. It is shared because the
// runtime mounts the Pod sandbox's /dev/shm into each container that shares
// the Pod's IPC namespace: both show the same device, and its size is the
// runtime's (64 MiB on containerd and Docker), not the node's memory.
import { randomUUID } from 'node:crypto';
import { judgeShm } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

const MiB = 1024 * 1024;

export const step: Claim = {
  byHand,
  title: () => 'shared memory: a segment under /dev/shm written in the app is read in the sidecar, and absent outside the Pod',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const name = `podmates-${randomUUID().slice(0, 8)}`;
    const text = `written by the app at ${new Date().toISOString()}`;
    const written = await target.probe('app').shmWrite(name, text);
    try {
      const read = await target.probe('sidecar').shmRead(name);
      const outside = await target.probe('outside').shmRead(name);
      const path = `/dev/shm/${name}`;
      assertCheck(
        'shared memory',
        judgeShm({ path, text, writer: 'app', written, reader: 'sidecar', read, outsideName: target.outside, outside }),
      );
      context.fact("the Pod's /dev/shm", `${(written.sizeBytes / MiB).toFixed(0)} MiB tmpfs, device ${written.device} in both containers`);
      return `read back in the sidecar from the same tmpfs (device ${written.device}, ${(written.sizeBytes / MiB).toFixed(0)} MiB); ${outside.error ?? 'readable'} from ${target.outside}`;
    } finally {
      await target.probe('app').shmRemove(name);
    }
  },
};
