// 5k. The IPC namespace holds System V IPC too, not only POSIX queues: a SysV
// message queue and a semaphore set made in the sidecar are listed in the
// app's container with the same key and id, and do not exist outside the Pod.
import type { SysvObject } from '../../../apps/probe/sysv.js';
import { assertCheck, judgeSysv } from '../../lib/checks.js';
import type { Step } from '../context.js';

export const step: Step = {
  id: '5k',
  title: () =>
    'System V IPC: a message queue and a semaphore set made in the sidecar are the same objects in the app, and absent outside the Pod',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const made = (await target.probeIn('sidecar', 'sysv-create')) as SysvObject[];
    try {
      const inApp = (await target.probeIn('app', 'sysv-list')) as SysvObject[];
      const outside = (await target.probeOutside('sysv-list')) as SysvObject[];
      assertCheck(
        'System V IPC',
        judgeSysv({ made, maker: 'sidecar', other: 'app', inOther: inApp, outsideName: target.outside, outside }),
      );
      return `${made.map((object) => `${object.kind} ${object.key} id ${object.id}`).join(', ')}: made in the sidecar, listed in the app, not in ${target.outside}`;
    } finally {
      // SysV objects outlive the processes that made them: remove them.
      await target.probeIn('sidecar', 'sysv-remove', ...made.map((object) => String(object.id)));
    }
  },
};
