// 5m. What the port rule really is. One network namespace means one listener
// per address and port, not per port number: the sidecar holds 127.0.0.1:9090,
// so 127.0.0.1:9090 is taken in the app's container too (EADDRINUSE, the clash
// of 5g), while <Pod IP>:9090 is free. And two listeners that both set
// SO_REUSEPORT under the same UID (both containers run as 10001) hold the very
// same address and port at once, and the kernel spreads connections between
// them. The clash of 5g still fails because servers do not set SO_REUSEPORT
// unless asked (Node's reusePort, Go's ListenConfig.Control, nginx's reuseport).
import { randomUUID } from 'node:crypto';
import { assertCheck, judgePortRule } from '../../lib/checks.js';
import type { Step } from '../context.js';

type Held = Parameters<typeof judgePortRule>[0]['first'];

const SHARED_PORT = '7777';
const CONNECTIONS = 40;

export const step: Step = {
  id: '5m',
  title: () => 'ports: one listener per address and port; with SO_REUSEPORT both containers hold 127.0.0.1:7777 at once',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const loopback = '127.0.0.1:9090';
    const address = `${target.address}:9090`;
    const podIpBeside = (await target.probeIn('sidecar', 'hold', target.address, '9090', '0')) as Held;
    const loopbackAgain = (await target.probeIn('app', 'hold', '127.0.0.1', '9090', '0')) as Held;
    progress(`SO_REUSEPORT: the app and the sidecar hold 127.0.0.1:${SHARED_PORT}, then ${CONNECTIONS} connections`);
    // The three execs wait for each other through files in the volume both
    // containers mount (/shared), not for a guessed time: under load an exec
    // takes seconds to start.
    const id = randomUUID().slice(0, 8);
    const [appBound, sidecarBound, done] = ['app', 'sidecar', 'done'].map((what) => `/shared/podmates-${id}-${what}`) as [
      string,
      string,
      string,
    ];
    const hold = (container: 'app' | 'sidecar', bound: string) =>
      target.probeIn(container, '--ready', bound, '--until', done, 'hold', '127.0.0.1', SHARED_PORT, '30000', 'reuseport') as Promise<Held>;
    const first = hold('app', appBound);
    const second = hold('sidecar', sidecarBound);
    const connections = (await target.probeIn(
      'app',
      '--when',
      `${appBound},${sidecarBound}`,
      '--then',
      done,
      'connect-many',
      '127.0.0.1',
      SHARED_PORT,
      String(CONNECTIONS),
    )) as { connected: number };
    const [a, b] = await Promise.all([first, second]);
    assertCheck(
      'ports',
      judgePortRule({ podIpBeside, loopbackAgain, first: a, second: b, connections, count: CONNECTIONS, address, loopback }),
    );
    return `${address} free beside the sidecar's ${loopback}, ${loopback} itself EADDRINUSE in the app; with SO_REUSEPORT, app and sidecar held 127.0.0.1:${SHARED_PORT} together and accepted ${a.accepted} and ${b.accepted} of ${CONNECTIONS} connections`;
  },
};
