import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'what they share stays in the Pod',
  commands: [
    {
      see: "From another Pod the queue does not exist (its IPC namespace has none), the sidecar's port on the Pod IP is refused, the app's answers.",
      run: 'outside mq-open /podmates.requests 10 4096; outside connect "$(pod_ip)" 9090; outside connect "$(pod_ip)" 8080',
      shows: /^\{"ok":false,"error":"[^"]*No such file or directory[^"]*"\}\n\{"ok":false,"code":"ECONNREFUSED"\}\n\{"ok":true\}$/,
    },
  ],
};
