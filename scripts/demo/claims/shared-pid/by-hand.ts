import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "with shareProcessNamespace they share pid too, and the sandbox's pause is PID 1",
  commands: [
    {
      see: 'The overlay sets shareProcessNamespace: true.',
      run: 'kubectl apply -k manifests/overlays/shared-pid && k rollout status deploy/podmates --timeout=180s',
      shows: /successfully rolled out/,
    },
    {
      see: "The app's container sees pause as PID 1 (/pause, or /usr/local/bin/pause on the offline node) and the sidecar's process.",
      run: 'probe app ps',
      shows: /^\[\{"pid":1,"uid":\d+,"command":"[^"]*pause[^"]*"\}.*dist\/apps\/sidecar\/main\.js/,
    },
  ],
  restore: 'kubectl apply -k manifests/base && k rollout status deploy/podmates --timeout=180s',
};
