// Unix sockets. An abstract one (a name that starts with a NUL byte, no
// file) belongs to the network namespace: the app listens on it and the
// sidecar connects with no volume at all, while the probe Pod is refused. One
// on a path is a file, so it follows the mounts, which are per container: a
// socket in the app's own volume (/state) does not exist for the sidecar
// (ENOENT), and one in the emptyDir both containers mount (/shared) is
// reached. (/dev/shm, the same tmpfs in every container of the Pod, would do
// too: see 5l.)
import { randomUUID } from 'node:crypto';
import { handshakeFiles } from '../../../../apps/probe/client.js';
import type { Connected } from '../../../../apps/probe/contract.js';
import { judgeUnixSockets } from './judge.js';
import { assertCheck, CheckFailed } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () =>
    'Unix sockets: an abstract one is shared with the network namespace, one on a path only through a mount both containers have',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const name = `podmates-${randomUUID().slice(0, 8)}`;
    const abstract = `@${name}`;
    const sharedPath = `/shared/${name}.sock`;
    const privatePath = `/state/${name}.sock`;
    progress(`the app listens on ${abstract}, ${sharedPath} and ${privatePath}; the sidecar connects to each`);
    // The app's listeners say they are bound, and are told to stop, through
    // files in the volume both containers mount.
    const files = handshakeFiles('/shared', ['abstract', 'sharedPath', 'privatePath', 'done']);
    const addresses = { abstract, sharedPath, privatePath };
    const held = Promise.all(
      (['abstract', 'sharedPath', 'privatePath'] as const).map((which) =>
        target.probe('app', { ready: files[which], until: files.done }).unixHold(addresses[which], 30_000),
      ),
    );
    let fromSidecar: Connected[];
    let fromOutside: Connected;
    try {
      const bound = [files.abstract, files.sharedPath, files.privatePath];
      fromSidecar = await target
        .probe('sidecar', { when: bound })
        .unixConnect(abstract, sharedPath, privatePath)
        .catch((error: Error) => {
          // The handshake goes through /shared too: when the sidecar never sees the app's files, that is what broke.
          if (!/waited \d+ ms for/.test(error.message)) throw error;
          throw new CheckFailed('Unix sockets', [
            `the app said in /shared that its sockets were bound, and the sidecar never saw it: /shared is not one volume both containers mount (${error.message.trim().split('\n').at(-1)})`,
          ]);
        });
      // While the app still listens.
      fromOutside = (await target.probe('outside').unixConnect(abstract))[0]!;
    } finally {
      await target.probe('app').signal(files.done);
      await held;
    }
    const [a, s, p] = fromSidecar;
    const fromClient = { abstract: a!, sharedPath: s!, privatePath: p! };
    assertCheck(
      'Unix sockets',
      judgeUnixSockets({
        abstract,
        sharedPath,
        privatePath,
        server: 'app',
        client: 'sidecar',
        fromClient,
        outsideName: target.outside,
        fromOutside,
      }),
    );
    return `from the sidecar: ${abstract} connected (no file), ${sharedPath} connected, ${privatePath} ${p!.code}; from ${target.outside}: ${abstract} ${fromOutside.code}`;
  },
};
