import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'they talk over 127.0.0.1, and the sidecar, bound to it, is not on the Pod IP',
  commands: [
    {
      see: 'The app reaches the sidecar on 127.0.0.1:9090, and the sidecar the app on 127.0.0.1:8080: one loopback.',
      run: 'probe app http GET http://127.0.0.1:9090/healthz; probe sidecar http GET http://127.0.0.1:8080/healthz',
      shows: /^\{"status":200,[\s\S]*\n\{"status":200,/,
    },
    {
      see: 'The same port on the Pod IP is refused: the sidecar listens on 127.0.0.1 only.',
      run: 'probe app connect "$(pod_ip)" 9090',
      shows: /^\{"ok":false,"code":"ECONNREFUSED"\}$/,
    },
  ],
};
