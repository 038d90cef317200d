import type { ByHandClaim } from '../../by-hand.js';

const NODE = 'docker exec "$(k get pod "$(pod)" -o jsonpath=\'{.spec.nodeName}\')"';

export const byHand: ByHandClaim = {
  claim: "with hostUsers: false they share a user namespace of the Pod's own, and UID 10001 is another UID on the node",
  cluster: 'podmates-userns',
  commands: [
    {
      see: "Both containers name one user namespace; the node's (its PID 1's) is another.",
      run: `k exec "$(pod)" -c app -- readlink /proc/self/ns/user; k exec "$(pod)" -c sidecar -- readlink /proc/self/ns/user; ${NODE} readlink /proc/1/ns/user`,
      shows: /^(user:\[\d+\])\n\1\n(?!\1$)user:\[\d+\]$/,
    },
    {
      see: "The Pod's uid_map: UIDs 0-65535 inside are 65,536 node UIDs from the first number on (the kubelet picks a range per Pod).",
      run: 'k exec "$(pod)" -c app -- cat /proc/self/uid_map',
      shows: /^0\s+[1-9]\d*\s+65536$/,
    },
    {
      see: "On the node, the app's process belongs to that first number + 10001, not to 10001: the owner of its /proc entry (the node's ps prints UIDs from 2^31 up as negative numbers).",
      run: `${NODE} sh -c 'for pid in $(pgrep -f "^node dist/apps/app/main.js"); do stat -c %u /proc/$pid; done'`,
      // One line per app process on the node: a Pod the demo just removed may still be stopping.
      shows: /^(?:(?!10001$)[1-9]\d{5,}(?:\n|$))+$/,
    },
  ],
};
