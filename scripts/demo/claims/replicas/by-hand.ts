import { BACK_TO_BASE, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim:
    'Pods of one UID share one queue budget, RLIMIT_MSGQUEUE, whichever IPC namespace their queues are in: one per kernel (on kind, one for every node)',
  commands: [
    {
      see: "Ten replicas: nine fit in the UID's 819,200 bytes (83,840 each), the tenth cannot create its queues, exits 69 and says why.",
      run: `k scale deploy/podmates --replicas=10; sleep 60
k get pods -l app.kubernetes.io/name=podmates --no-headers | awk '{print $2, $3}' | sort | uniq -c
k logs $(k get pods -l app.kubernetes.io/name=podmates --no-headers | grep -v ' 2/2 ' | awk '{print $1}' | head -1) --all-containers | grep -m1 -o 'RLIMIT_MSGQUEUE of UID 10001 is used up'`,
      shows: /scaled\n\s+1 [01]\/2 (CrashLoopBackOff|Error)\n\s+9 2\/2 Running\nRLIMIT_MSGQUEUE of UID 10001 is used up$/,
    },
    {
      see:
        'Back to nine, the budget full. A rollout that never adds a Pod (maxSurge 0) still has no room: the controller starts the new Pod as soon as an old one is terminating, ' +
        'and the old one keeps its queues, and their charge, until its containers have stopped. The new Pod fails once (RESTARTS 1), then starts.',
      run: `k scale deploy/podmates --replicas=9; sleep 15
k patch deploy/podmates -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}}'
k rollout restart deploy/podmates; sleep 25
p=$(k get pods -l app.kubernetes.io/name=podmates --no-headers | awk '$4 > 0 {print $1}' | head -1)
for c in app sidecar; do k logs $p -c $c --previous 2>/dev/null; done | grep -m1 -o 'RLIMIT_MSGQUEUE of UID 10001 is used up'`,
      shows: /scaled\n.*patched\n.*restarted\nRLIMIT_MSGQUEUE of UID 10001 is used up$/,
    },
  ],
  restore: BACK_TO_BASE,
};
