import { BACK_TO_BASE, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim:
    "a NetworkPolicy filters at the Pod's interface: what it does not allow is dropped, and loopback inside the Pod is out of its reach",
  commands: [
    {
      see: 'With the overlay applied, the app still reaches its sidecar on 127.0.0.1; the probe Pod still reaches 8080; a port the app holds on every address (9091) times out (the holder says it is bound, and is told to stop, through files in /shared).',
      run: `kubectl apply -k manifests/overlays/network-policy > /dev/null; sleep 3
probe app --ready /shared/hand-9091 --until /shared/hand-9091-done hold 0.0.0.0 9091 60000 > /dev/null &
probe app --when /shared/hand-9091 connect 127.0.0.1 9090; outside connect "$(pod_ip)" 8080; outside connect "$(pod_ip)" 9091
probe app signal /shared/hand-9091-done > /dev/null; wait`,
      shows: /^\{"ok":true\}\n\{"ok":true\}\n\{"ok":false,"code":"ETIMEDOUT"\}$/,
    },
  ],
  restore: `k delete networkpolicy podmates; ${BACK_TO_BASE}`,
};
