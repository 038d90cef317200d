import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'the containers of a Pod share its network, IPC and UTS namespaces, and keep their own pid and mount namespaces',
  commands: [
    {
      see: 'The namespaces each container is in: net, ipc and uts are the same in both, pid and mnt differ.',
      run: `for c in app sidecar; do
  echo "== $c"
  k exec "$(pod)" -c $c -- readlink /proc/self/ns/net /proc/self/ns/ipc /proc/self/ns/uts /proc/self/ns/pid /proc/self/ns/mnt
done`,
      shows:
        /== app\n(net:\[\d+\])\n(ipc:\[\d+\])\n(uts:\[\d+\])\n(pid:\[\d+\])\n(mnt:\[\d+\])\n== sidecar\n\1\n\2\n\3\n(?!\4\n)pid:\[\d+\]\n(?!\5\n)mnt:\[\d+\]/,
    },
    {
      see: "One UTS namespace: both containers have the Pod's name as their hostname.",
      run: 'for c in app sidecar; do k exec "$(pod)" -c $c -- cat /proc/sys/kernel/hostname; done',
      shows: /^(podmates-[a-z0-9]+-[a-z0-9]+)\n\1$/,
    },
  ],
};
