// closeServer() with real sockets on loopback: what may hold a stopping
// server's close, and what must not.
import { connect, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { expect, test } from 'vitest';
import { createLogger } from '../../apps/shared/log.js';
import { closeServer, listen } from '../../apps/shared/serve.js';

const quiet = createLogger(
  'app',
  () => undefined,
  () => undefined,
);

/** 'closed' when closeServer resolved within `ms`, else 'held'. */
const closedWithin = (closing: Promise<void>, ms: number) =>
  Promise.race([closing.then(() => 'closed' as const), sleep(ms).then(() => 'held' as const)]);

test('a connection that never sent a request (a client pool’s spare) does not hold the close', async () => {
  const server = await listen(express(), { host: '127.0.0.1', port: 0 }, quiet);
  const spare = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => spare.once('connect', resolve));
  const ended = new Promise((resolve) => spare.once('close', resolve));
  // Node checks headersTimeout every 30 s: without closing spares the close waits that long at least.
  expect(await closedWithin(closeServer(server), 5000), 'closeServer waited for a connection that sent nothing').toBe('closed');
  await ended;
});

test('a request in flight still holds the close until it is answered', async () => {
  const app = express();
  let answer: () => void = () => undefined;
  app.get('/slow', (_req, res) => {
    answer = () => res.end('done');
  });
  const server = await listen(app, { host: '127.0.0.1', port: 0 }, quiet);
  const response = fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`).then((r) => r.text());
  await sleep(200);
  const closing = closeServer(server);
  expect(await closedWithin(closing, 500)).toBe('held');
  answer();
  expect(await response).toBe('done');
  expect(await closedWithin(closing, 5000)).toBe('closed');
});
