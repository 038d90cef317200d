// 5q's judge on synthetic probe output: it passes on a healthy Pod and,
// for each thing it guards, fails with a message naming what broke.
import { expect, test } from 'vitest';
import { judgePortForward } from './judge.js';

test('port-forward: reaches the loopback-only sidecar, which no Pod can, and RBAC refuses whom it should', () => {
  const seen = {
    forwarded: { status: 200 },
    outside: { ok: false, code: 'ECONNREFUSED' },
    address: '10.244.0.5:9090',
    denied: 'Error from server (Forbidden): pods "podmates-x" is forbidden',
    who: 'system:serviceaccount:podmates:default',
  };
  expect(judgePortForward(seen)).toEqual([]);
  expect(judgePortForward({ ...seen, forwarded: { error: 'error: unable to forward port' }, outside: { ok: true }, denied: null })).toEqual(
    [
      "kubectl port-forward did not reach the sidecar's 127.0.0.1:9090: error: unable to forward port",
      '10.244.0.5:9090 accepted a connection from the probe Pod: the sidecar is not on loopback only, so port-forward shows nothing',
      'system:serviceaccount:podmates:default could port-forward too: nothing but RBAC guards a loopback port, and it allowed this',
    ],
  );
  expect(judgePortForward({ ...seen, denied: 'no "Forwarding from" line within 20 s' })).toEqual([
    'port-forward as system:serviceaccount:podmates:default failed, but not for RBAC: no "Forwarding from" line within 20 s',
  ]);
});
