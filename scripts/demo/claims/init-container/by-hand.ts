import { BACK_TO_BASE, applyOverlay, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "an init container runs first, in the Pod's namespaces",
  commands: [
    applyOverlay('init-queue', 'The overlay adds an init container that creates the request queue and leaves a request in it.'),
    {
      see: "Its output (the request it left), then the sidecar's status for that request: it found it in the queue and processed it.",
      run: `k logs "$(pod)" -c make-queue
probe app http GET http://127.0.0.1:9090/status/00000000-0000-4000-8000-0000000000a1`,
      shows: /"id":"00000000-0000-4000-8000-0000000000a1".*"pushed":true[\s\S]*\n\{"status":200,/,
    },
  ],
  restore: BACK_TO_BASE,
};
