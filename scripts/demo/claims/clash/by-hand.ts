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
      see: 'The new Pod never gets Ready: the container that bound second exits ("address already in use") and restarts, the other keeps running and is Ready on its own; the old Pod stays.',
      run: `sleep 30; k get pods -l app.kubernetes.io/name=podmates
new=$(k get pod -l app.kubernetes.io/name=podmates --sort-by=.metadata.creationTimestamp -o name | tail -1)
k get "$new" -o jsonpath='{range .status.containerStatuses[*]}{.name} ready={.ready} restarts={.restartCount}{"\\n"}{end}'
k logs "$new" --all-containers --prefix | grep -m1 'address already in use'`,
      shows:
        /1\/2\s+(Error|CrashLoopBackOff)[\s\S]*(ready=true restarts=0\n\S+ ready=false restarts=[1-9]|ready=false restarts=[1-9]\d*\n\S+ ready=true restarts=0)[\s\S]*address already in use/,
    },
  ],
  restore: BACK_TO_BASE,
};
