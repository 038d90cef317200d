// SO_REUSEPORT in a Pod, step 5m in the box. Node 20 could not show it: its
// net.Server ignores reusePort (Node 22.12 added it), so the box, which runs
// the tests' own node, saw EADDRINUSE where the Pods (Node 24) share a port.
// Two containers of one Pod share one port space: beside the sidecar's
// 127.0.0.1:9090 another address's 9090 is free and 127.0.0.1:9090 is taken;
// two listeners that both ask for SO_REUSEPORT under the same UID hold one
// port together and the kernel spreads the connections over them. A listener
// that does not ask is refused (the clash of 5g), and so is one of another UID
// that does: the kernel lets only one user's sockets share a port.
import { execa } from 'execa';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { handshakeFiles } from '../../apps/probe/client.js';
import { signal, waitForFiles } from '../../apps/probe/listeners.js';
import { judgePortRule } from '../../scripts/demo/claims/ports/judge.js';
import { withoutPrivileges } from '../../scripts/lib/namespaces.js';
import { describePod } from '../support/describe-pod.js';
import { PodBox, serviceUid } from '../support/pod-box.js';

const CONNECTIONS = 40;
/** nobody: a UID the services never run as. */
const OTHER_UID = 65534;

describePod('SO_REUSEPORT: one port space per Pod, shared only on request and by one UID', () => {
  let pod: PodBox;

  beforeAll(async () => {
    pod = await PodBox.create('reuseport-pod');
    await pod.start('sidecar').waitForEvent('listening');
  });
  afterAll(() => pod?.dispose());

  /** Two listeners on 127.0.0.1:`port` in two "containers" at once (`second` with or without SO_REUSEPORT), then connections. */
  async function holdTogether(port: number, second: 'reuseport' | 'plain') {
    const files = handshakeFiles(pod.stateDir, ['first', 'second', 'done']);
    const hold = (bound: string) => pod.probe({ ready: bound, until: files.done }).hold('127.0.0.1', port, 30_000, 'reuseport');
    const first = hold(files.first);
    if (second === 'plain') {
      // The refused listener writes no "ready": wait for the first one alone.
      const refused = await pod.probe({ when: [files.first], then: files.done }).hold('127.0.0.1', port, 0);
      return { first: await first, second: refused, connections: { connected: 0 } };
    }
    const other = hold(files.second);
    const connections = await pod
      .probe({ when: [files.first, files.second], then: files.done })
      .connectMany('127.0.0.1', port, CONNECTIONS);
    return { first: await first, second: await other, connections };
  }

  /** What 5m sees beside the sidecar's listener; 127.0.0.2 stands for the Pod IP (the box has only loopback). */
  async function beside() {
    const podIpBeside = await pod.probe().hold('127.0.0.2', 9090, 0);
    const loopbackAgain = await pod.probe().hold('127.0.0.1', 9090, 0);
    return { podIpBeside, loopbackAgain, count: CONNECTIONS, address: '127.0.0.2:9090', loopback: '127.0.0.1:9090' };
  }

  test('beside the sidecar, per address and port; with SO_REUSEPORT two listeners hold 7777 at once and share the connections', async () => {
    const seen = { ...(await beside()), ...(await holdTogether(7777, 'reuseport')) };
    expect(judgePortRule(seen)).toEqual([]);
    expect(seen.first.accepted! + seen.second.accepted!).toBe(CONNECTIONS);
  });

  test('a second listener without SO_REUSEPORT is refused, and the check says so', async () => {
    const seen = { ...(await beside()), ...(await holdTogether(7778, 'plain')) };
    expect(seen.second).toEqual({ ok: false, code: 'EADDRINUSE' });
    expect(judgePortRule(seen)).toEqual([
      'with SO_REUSEPORT, app bound, sidecar failed (EADDRINUSE): both should hold the same address and port',
    ]);
  });

  test('a listener of another UID is refused even with SO_REUSEPORT', async () => {
    expect(serviceUid()).not.toBe(OTHER_UID);
    const { bound, done } = handshakeFiles(pod.stateDir, ['bound', 'done']);
    const held = pod.probe({ ready: bound, until: done }).hold('127.0.0.1', 7779, 30_000, 'reuseport');
    await waitForFiles([bound], 30_000);
    // Only the network namespace is joined: the other UID need not read dist/, only run node.
    const script = `require('node:net').createServer().once('error', (e) => { console.log(e.code); process.exit(0); }).listen({ host: '127.0.0.1', port: 7779, reusePort: true }, () => { console.log('bound'); process.exit(0); });`;
    const other = await execa('nsenter', [
      '-t',
      String(pod.pid),
      '-n',
      '--',
      ...withoutPrivileges(OTHER_UID),
      process.execPath,
      '-e',
      script,
    ]);
    await signal(done);
    expect(other.stdout).toBe('EADDRINUSE');
    expect(await held).toMatchObject({ ok: true });
  });
});
