import { BACK_TO_BASE, applyOverlay, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'a native sidecar is serving before the app starts',
  commands: [
    applyOverlay('native-sidecar', 'The overlay makes the sidecar an init container with restartPolicy: Always and a startup probe.'),
    {
      see: "The sidecar's first health check answered (first_health_check) comes before the app's process started (processStartedAt): compare the two times.",
      run: `k logs "$(pod)" -c sidecar | grep -m1 '"first_health_check"'
k logs "$(pod)" -c app | grep -m1 '"starting"'`,
      shows: /"event":"first_health_check"[\s\S]*"processStartedAt"/,
    },
  ],
  restore: BACK_TO_BASE,
};
