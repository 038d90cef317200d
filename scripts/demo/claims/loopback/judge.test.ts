import { expect, test } from 'vitest';
import { judgeLoopback, type LoopbackAsk } from './judge.js';

const ok = (service: string) => ({ status: 200, headers: {}, body: { status: 'ok', service } });
const asks: LoopbackAsk[] = [
  { from: 'app', to: 'sidecar', url: 'http://127.0.0.1:9090/healthz', answer: ok('sidecar') },
  { from: 'sidecar', to: 'app', url: 'http://127.0.0.1:8080/healthz', answer: ok('app') },
];
const refused = { ok: false, code: 'ECONNREFUSED', address: '10.244.0.4:9090' };

test('each answered by the service asked for, the sidecar off the Pod IP: nothing to say', () => {
  expect(judgeLoopback(asks, refused)).toEqual([]);
});

test('a port on 127.0.0.1 held by the other container is named, not taken for the one asked for', () => {
  const crossed = [asks[0]!, { ...asks[1]!, answer: ok('sidecar') }];
  expect(judgeLoopback(crossed, refused)).toEqual([
    'GET http://127.0.0.1:8080/healthz from the sidecar container was answered by the sidecar, not the app',
  ]);
});

test('a server that does not say which it is, an error status, the sidecar on the Pod IP', () => {
  const broken = [
    { ...asks[0]!, answer: { status: 200, headers: {}, body: 'ok' } },
    { ...asks[1]!, answer: { status: 503, headers: {}, body: null } },
  ];
  expect(judgeLoopback(broken, { ok: true, address: '10.244.0.4:9090' })).toEqual([
    'GET http://127.0.0.1:9090/healthz from the app container was answered by a server that did not say which it is, not the sidecar',
    'GET http://127.0.0.1:8080/healthz from the sidecar container answered 503',
    'the sidecar answers on the Pod IP 10.244.0.4:9090: it should listen on 127.0.0.1 only',
  ]);
});
