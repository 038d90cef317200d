// 5n. Unix sockets. An abstract one (a name that starts with a NUL byte, no
// file) belongs to the network namespace: the app listens on it and the
// sidecar connects with no volume at all, while the probe Pod is refused. One
// on a path is a file, so it follows the mounts, which are per container: a
// socket in the app's own volume (/state) does not exist for the sidecar
// (ENOENT), and one in the emptyDir both containers mount (/shared) is
// reached. (/dev/shm, the same tmpfs in every container of the Pod, would do
// too: see 5l.)
import { randomUUID } from 'node:crypto';
import { assertCheck, CheckFailed, judgeUnixSockets } from '../../lib/checks.js';
import type { Step } from '../context.js';

type Connected = { ok: boolean; code?: string };

export const step: Step = {
  id: '5n',
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
    // files in the volume both containers mount: no guessed sleeps between
    // the execs, which take seconds to start under load.
    const [bound, done] = [[0, 1, 2].map((i) => `/shared/${name}-bound-${i}`), `/shared/${name}-done`];
    const addresses = [abstract, sharedPath, privatePath];
    const held = Promise.all(
      addresses.map((address, i) => target.probeIn('app', '--ready', bound[i]!, '--until', done, 'unix-hold', address, '30000')),
    );
    let fromSidecar: Connected[];
    let fromOutside: Connected;
    try {
      fromSidecar = (await target.probeIn('sidecar', '--when', bound.join(','), 'unix-connect', ...addresses).catch((error: Error) => {
        // The handshake goes through /shared too: when the sidecar never sees the app's files, that is what broke.
        if (!/waited \d+ ms for/.test(error.message)) throw error;
        throw new CheckFailed('Unix sockets', [
          `the app said in /shared that its sockets were bound, and the sidecar never saw it: /shared is not one volume both containers mount (${error.message.trim().split('\n').at(-1)})`,
        ]);
      })) as Connected[];
      // While the app still listens.
      [fromOutside] = (await target.probeOutside('unix-connect', abstract)) as [Connected];
    } finally {
      await target.probeIn('app', 'signal', done);
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
