import { BACK_TO_BASE, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim:
    "a NetworkPolicy filters at the Pod's interface: what it does not allow is dropped, and loopback inside the Pod is out of its reach",
  commands: [
    {
      see: 'With the overlay applied, the probe Pod still reaches 8080; a port the app holds on every address (9091) times out; the app still reaches its sidecar on 127.0.0.1.',
      run: `kubectl apply -k manifests/overlays/network-policy > /dev/null; sleep 3
probe app hold 0.0.0.0 9091 8000 > /dev/null & sleep 2
outside connect "$(pod_ip)" 8080; outside connect "$(pod_ip)" 9091; probe app connect 127.0.0.1 9090; wait`,
      shows: /^\{"ok":true\}\n\{"ok":false,"code":"ETIMEDOUT"\}\n\{"ok":true\}$/,
    },
  ],
  restore: `k delete networkpolicy podmates; ${BACK_TO_BASE}`,
};
