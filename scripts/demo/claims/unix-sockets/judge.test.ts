// 5n's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgeUnixSockets } from './judge.js';

test('Unix sockets: abstract by network namespace, on a path by mount; each failure names which', () => {
  const seen = {
    abstract: '@podmates-x',
    sharedPath: '/shared/podmates-x.sock',
    privatePath: '/state/podmates-x.sock',
    server: 'app',
    client: 'sidecar',
    fromClient: { abstract: { ok: true }, sharedPath: { ok: true }, privatePath: { ok: false, code: 'ENOENT' } },
    outsideName: 'the probe Pod',
    fromOutside: { ok: false, code: 'ECONNREFUSED' },
  };
  expect(judgeUnixSockets(seen)).toEqual([]);
  expect(
    judgeUnixSockets({
      ...seen,
      fromClient: { abstract: { ok: false, code: 'ECONNREFUSED' }, sharedPath: { ok: false, code: 'ENOENT' }, privatePath: { ok: true } },
      fromOutside: { ok: true },
    }),
  ).toEqual([
    'the abstract socket @podmates-x of the app is not reachable from the sidecar (ECONNREFUSED): they do not share a network namespace',
    'the abstract socket @podmates-x is reachable from the probe Pod: the network namespace reaches beyond the Pod',
    '/shared/podmates-x.sock, in a mount both containers have, is not reachable from the sidecar (ENOENT)',
    '/state/podmates-x.sock, in a volume only the app mounts, is reachable from the sidecar: their mounts are not separate',
  ]);
});
