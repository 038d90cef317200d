import type { ByHandClaim } from '../../by-hand.js';

export const byHand: ByHandClaim = {
  claim: 'an abstract Unix socket is shared with the network namespace, one on a path only through a mount both have',
  commands: [
    {
      see: "The app listens on an abstract socket, on one in /shared (both containers mount it) and on one in /state (only the app's): the sidecar reaches the first two, not the third (no such file in its mounts); another Pod is refused the abstract one.",
      run: `probe app --ready /shared/hand-abstract --until /shared/hand-stop unix-hold @podmates-hand 30000 > /dev/null &
probe app --ready /shared/hand-shared --until /shared/hand-stop unix-hold /shared/podmates-hand.sock 30000 > /dev/null &
probe app --ready /shared/hand-private --until /shared/hand-stop unix-hold /state/podmates-hand.sock 30000 > /dev/null &
probe sidecar --when /shared/hand-abstract,/shared/hand-shared,/shared/hand-private unix-connect @podmates-hand /shared/podmates-hand.sock /state/podmates-hand.sock
outside unix-connect @podmates-hand
probe app signal /shared/hand-stop > /dev/null; wait`,
      shows: /^\[\{"ok":true\},\{"ok":true\},\{"ok":false,"code":"ENOENT"\}\]\n\[\{"ok":false,"code":"ECONNREFUSED"\}\]$/,
    },
  ],
};
