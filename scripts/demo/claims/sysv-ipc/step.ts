// The IPC namespace holds System V IPC too, not only POSIX queues: a SysV
// message queue and a semaphore set made in the sidecar are listed in the
// app's container with the same key and id, and do not exist outside the Pod.
import { judgeSysv } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () =>
    'System V IPC: a message queue and a semaphore set made in the sidecar are the same objects in the app, and absent outside the Pod',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const made = await target.probe('sidecar').sysvCreate();
    try {
      const inApp = await target.probe('app').sysvList();
      const outside = await target.probe('outside').sysvList();
      assertCheck(
        'System V IPC',
        judgeSysv({ made, maker: 'sidecar', other: 'app', inOther: inApp, outsideName: target.outside, outside }),
      );
      return `${made.map((object) => `${object.kind} ${object.key} id ${object.id}`).join(', ')}: made in the sidecar, listed in the app, not in ${target.outside}`;
    } finally {
      // SysV objects outlive the processes that made them: remove them.
      const [queue, semaphores] = made;
      if (queue && semaphores) await target.probe('sidecar').sysvRemove(queue.id, semaphores.id);
    }
  },
};
