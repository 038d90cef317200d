import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "so does POSIX shared memory: /dev/shm is the Pod's",
  commands: [
    {
      see: 'A file written under /dev/shm in the app is read in the sidecar (the same device), and does not exist in another Pod.',
      run: 'probe app shm-write hello hi; probe sidecar shm-read hello; outside shm-read hello; probe app shm-remove hello',
      shows: /"device":"(\d+:\d+)"[^\n]*\n\{"ok":true,"text":"hi","device":"\1"[^\n]*\n\{"ok":false,"error":"ENOENT"/,
    },
  ],
};
