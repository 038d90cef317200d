import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "a debug container joins the Pod, and with --target the app's pid namespace",
  commands: [
    {
      see: "An ephemeral container (profile restricted, as the namespace's Pod Security demands) is in the app's pid namespace with --target=app, reaches the sidecar's loopback port and opens the Pod's queue.",
      run: `probe app ns
k debug "pod/$(pod)" -i -q --profile=restricted --target=app --image=podmates/app:0.1.0 --image-pull-policy=Never -- node dist/apps/probe/main.js survey /podmates.requests 10 4096 9090`,
      shows: /"pid":"(pid:\[\d+\])"[^\n]*\n\{"namespaces":\{[^}]*"pid":"\1"[^}]*\},"queue":\{"ok":true,[^}]*\},"loopback":\{"ok":true\}/,
    },
  ],
};
