import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'System V IPC works between them too',
  commands: [
    {
      see: 'A SysV message queue and semaphore set made in the sidecar are listed, same key and id, in the app, and not in another Pod; then removed.',
      run: `made=$(probe sidecar sysv-create); echo "$made"
probe app sysv-list; outside sysv-list
probe sidecar sysv-remove $(echo "$made" | grep -o '"id":[0-9]*' | cut -d: -f2)`,
      shows: /^(\[\{"kind":"message queue","key":"0x[0-9a-f]+","id":\d+.*\])\n\1\n\[\]\n\{"removed":true\}$/,
    },
  ],
};
