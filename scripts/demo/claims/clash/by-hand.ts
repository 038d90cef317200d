import { BACK_TO_BASE, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'two containers cannot listen on the same port',
  commands: [
    {
      see: 'The overlay tells both containers to use 8080: the API server warns about the duplicate port.',
      run: 'kubectl apply -k manifests/overlays/clash 2>&1',
      shows: /duplicate port definition/,
    },
    {
      see: 'The new Pod never gets Ready: one container keeps running, the one that bound second exits ("address already in use") and restarts; the old Pod stays.',
      run: `sleep 30; k get pods -l app.kubernetes.io/name=podmates
new=$(k get pod -l app.kubernetes.io/name=podmates --sort-by=.metadata.creationTimestamp -o name | tail -1)
k logs "$new" --all-containers --prefix | grep -m1 'address already in use'`,
      shows: /1\/2\s+(Error|CrashLoopBackOff)[\s\S]*address already in use/,
    },
  ],
  restore: BACK_TO_BASE,
};
