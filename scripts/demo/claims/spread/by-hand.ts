import { BACK_TO_BASE, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'replicas spread over the nodes, each Pod whole on its node',
  commands: [
    {
      see: 'The overlay runs three replicas with a topology spread: each Pod runs both its containers on one node (on a one-node cluster, all on it).',
      run: `kubectl apply -k manifests/overlays/spread && k rollout status deploy/podmates --timeout=180s
k get pods -l app.kubernetes.io/name=podmates -o wide --no-headers | grep -v Terminating | awk '{print $2, $3, $7}'`,
      shows: /successfully rolled out\n(2\/2 Running \S+\n?){3}$/,
    },
  ],
  restore: BACK_TO_BASE,
};
