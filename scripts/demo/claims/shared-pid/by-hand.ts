import { BACK_TO_BASE, applyOverlay, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "with shareProcessNamespace they share pid too, and the sandbox's pause is PID 1",
  commands: [
    applyOverlay('shared-pid', 'The overlay sets shareProcessNamespace: true.'),
    {
      see: "The app's container sees pause as PID 1 (/pause, or /usr/local/bin/pause on the offline node) and the sidecar's process.",
      run: 'probe app ps',
      shows: /^\[\{"pid":1,"uid":\d+,"command":"[^"]*pause[^"]*"\}.*dist\/apps\/sidecar\/main\.js/,
    },
  ],
  restore: BACK_TO_BASE,
};
