import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'POSIX message queues work between them',
  commands: [
    {
      see: 'The sidecar opens the queue the app made: one IPC namespace.',
      run: 'probe sidecar mq-open /podmates.requests 10 4096',
      shows: /^\{"ok":true,"depth":\d+\}$/,
    },
    {
      see: 'Messages sent to the app come back processed by the sidecar through the queues: none lost, none taken twice.',
      run: 'probe app roundtrip http://127.0.0.1:8080 20',
      shows: /"accepted":20,.*"processed":20,"lost":\[\],"duplicated":\[\],"refused":\[\]/,
    },
  ],
};
