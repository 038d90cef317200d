import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'the network plugin gives the Pod its interface; loopback does not depend on it',
  commands: [
    {
      see: "The CNI configuration on the Pod's node (a kind node is a Docker container): 10-podmates.conflist on the offline node, 10-kindnet.conflist with kind's own image.",
      run: 'docker exec "$(k get pod "$(pod)" -o jsonpath=\'{.spec.nodeName}\')" ls /etc/cni/net.d',
      shows: /\.conflist/,
    },
    {
      see: 'Both containers list the same interfaces (lo, and the one the plugin made with the Pod IP); another Pod has its own.',
      run: 'probe app interfaces; probe sidecar interfaces; outside interfaces',
      shows: /^(\[.*\])\n\1\n(?!\1$)\[.*\]$/,
    },
  ],
};
