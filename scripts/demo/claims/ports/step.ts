// What the port rule really is. One network namespace means one listener
// per address and port, not per port number: the sidecar holds 127.0.0.1:9090,
// so 127.0.0.1:9090 is taken in the app's container too (EADDRINUSE, the clash
// of 5g), while <Pod IP>:9090 is free. And two listeners that both set
// SO_REUSEPORT under the same UID (both containers run as 10001) hold the very
// same address and port at once, and the kernel spreads connections between
// them. The clash of 5g still fails because servers do not set SO_REUSEPORT
// unless asked (Node's reusePort, Go's ListenConfig.Control, nginx's reuseport).
import { handshakeFiles } from '../../../../apps/probe/client.js';
import { judgePortRule } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

const SHARED_PORT = 7777;
const CONNECTIONS = 40;

export const step: Claim = {
  byHand,
  title: () => 'ports: one listener per address and port; with SO_REUSEPORT both containers hold 127.0.0.1:7777 at once',
  run: async (context, progress) => {
    const target = await context.target(progress);
    const loopback = '127.0.0.1:9090';
    const address = `${target.address}:9090`;
    const podIpBeside = await target.probe('sidecar').hold(target.address, 9090, 0);
    const loopbackAgain = await target.probe('app').hold('127.0.0.1', 9090, 0);
    progress(`SO_REUSEPORT: the app and the sidecar hold 127.0.0.1:${SHARED_PORT}, then ${CONNECTIONS} connections`);
    // The three execs wait for each other through files in the volume both
    // containers mount (/shared).
    const files = handshakeFiles('/shared', ['app', 'sidecar', 'done']);
    const hold = (container: 'app' | 'sidecar') =>
      target.probe(container, { ready: files[container], until: files.done }).hold('127.0.0.1', SHARED_PORT, 30_000, 'reuseport');
    const first = hold('app');
    const second = hold('sidecar');
    const connections = await target
      .probe('app', { when: [files.app, files.sidecar], then: files.done })
      .connectMany('127.0.0.1', SHARED_PORT, CONNECTIONS);
    const [a, b] = await Promise.all([first, second]);
    assertCheck(
      'ports',
      judgePortRule({ podIpBeside, loopbackAgain, first: a, second: b, connections, count: CONNECTIONS, address, loopback }),
    );
    return `${address} free beside the sidecar's ${loopback}, ${loopback} itself EADDRINUSE in the app; with SO_REUSEPORT, app and sidecar held 127.0.0.1:${SHARED_PORT} together and accepted ${a.accepted} and ${b.accepted} of ${CONNECTIONS} connections`;
  },
};
