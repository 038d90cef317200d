import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'Pods of one UID share one queue budget, RLIMIT_MSGQUEUE, whichever IPC namespace their queues are in',
  commands: [
    {
      see: "Four replicas start: four Pods of 83,840 bytes of queues each fit in the UID's 819,200 bytes.",
      run: `k scale deploy/podmates --replicas=4 && k rollout status deploy/podmates --timeout=180s
k get pods -l app.kubernetes.io/name=podmates --no-headers | grep -c ' 2/2 *Running'`,
      shows: /successfully rolled out\n4$/,
    },
    {
      see: "With 8,192-byte messages a Pod's queues take 165,760 bytes: four fit, the fifth fails (exit 69) and says the budget is used up.",
      run: `k scale deploy/podmates --replicas=0 && k wait --for=delete pod -l app.kubernetes.io/name=podmates --timeout=120s
k set env deploy/podmates --all QUEUE_MESSAGE_SIZE=8192 && k scale deploy/podmates --replicas=5
sleep 45; k get pods -l app.kubernetes.io/name=podmates --no-headers | awk '{print $2, $3}' | sort | uniq -c
k logs $(k get pods -l app.kubernetes.io/name=podmates --no-headers | grep -v ' 2/2 ' | awk '{print $1}' | head -1) --all-containers | grep -m1 -o 'RLIMIT_MSGQUEUE of UID 10001 is used up'`,
      shows: /4 2\/2 Running[\s\S]*RLIMIT_MSGQUEUE of UID 10001 is used up/,
    },
  ],
  restore: `k set env deploy/podmates --all QUEUE_MESSAGE_SIZE- && k scale deploy/podmates --replicas=1
k rollout status deploy/podmates --timeout=180s`,
};
