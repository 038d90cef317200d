// 5m's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgePortRule } from './judge.js';

test('port rule: per address and port, and SO_REUSEPORT listeners share one; each failure says what the kernel allowed', () => {
  const healthy = {
    podIpBeside: { ok: true },
    loopbackAgain: { ok: false, code: 'EADDRINUSE' },
    first: { ok: true, boundAt: 1000, releasedAt: 10_000, accepted: 16 },
    second: { ok: true, boundAt: 3000, releasedAt: 8000, accepted: 24 },
    connections: { connected: 40 },
    count: 40,
    address: '10.244.0.4:9090',
    loopback: '127.0.0.1:9090',
  };
  expect(judgePortRule(healthy)).toEqual([]);
  expect(judgePortRule({ ...healthy, podIpBeside: { ok: false, code: 'EADDRINUSE' }, loopbackAgain: { ok: true } })).toEqual([
    "10.244.0.4:9090 could not be bound beside the sidecar's 127.0.0.1:9090 (EADDRINUSE): a port should be taken per address, not per number",
    '127.0.0.1:9090 could be bound again in the app while the sidecar listens on it: the containers do not share one network namespace',
  ]);
  // Without SO_REUSEPORT (or a Node that ignores it) the second listener is refused, as in 5g.
  expect(judgePortRule({ ...healthy, second: { ok: false, code: 'EADDRINUSE' } })).toEqual([
    'with SO_REUSEPORT, app bound, sidecar failed (EADDRINUSE): both should hold the same address and port',
  ]);
  expect(judgePortRule({ ...healthy, second: { ...healthy.second, boundAt: 11_000, releasedAt: 12_000 } })).toEqual([
    'the two SO_REUSEPORT listeners never held the port at the same time: nothing was shown',
  ]);
  expect(judgePortRule({ ...healthy, first: { ...healthy.first, accepted: 40 }, second: { ...healthy.second, accepted: 0 } })).toEqual([
    'the kernel did not spread the connections: app accepted 40, sidecar 0',
  ]);
});
