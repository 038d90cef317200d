import { throughPortForward, type ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'loopback is not access control: port-forward reaches it, RBAC guards it',
  commands: [
    {
      see: "kubectl port-forward reaches the sidecar's 127.0.0.1:9090, which no other Pod can (the kubelet dials it inside the Pod's network namespace); the namespace's default ServiceAccount may not port-forward.",
      run: `${throughPortForward(19090, 9090, "fetch('http://127.0.0.1:19090/healthz').then(async (r) => console.log(r.status, await r.text()))")}
k auth can-i create pods/portforward --as system:serviceaccount:podmates:default`,
      shows: /^200 \{"status":"ok","service":"sidecar"\}\nno$/,
    },
  ],
};
