import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: "a debug container joins the Pod, and with --target the app's pid namespace",
  commands: [
    {
      see: "An ephemeral container (profile restricted, as the namespace's Pod Security demands) is in the app's pid namespace with --target=app, reaches the sidecar's loopback port and opens the Pod's queue. It runs detached and its log is read once it has exited (attaching with -i can miss the output of a container this short).",
      run: `probe app ns
p=$(pod); c=look-$(date +%s)
k debug "pod/$p" -q --profile=restricted --target=app --container=$c --image=podmates/app:0.1.0 --image-pull-policy=Never -- node dist/apps/probe/main.js survey /podmates.requests 10 4096 9090
until k get pod "$p" -o jsonpath="{.status.ephemeralContainerStatuses[?(@.name=='$c')].state.terminated.exitCode}" | grep -q .; do sleep 1; done
k logs "$p" -c $c`,
      shows: /"pid":"(pid:\[\d+\])"[^\n]*\n\{"namespaces":\{[^}]*"pid":"\1"[^}]*\},"queue":\{"ok":true,[^}]*\},"loopback":\{"ok":true\}/,
    },
  ],
};
