// The probe's handshake between execs in two containers: files in a volume
// both mount, instead of guessed sleeps. Loopback and a temporary folder only.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { connectOnce, hold, signal, waitForFiles } from '../../apps/probe/listeners.js';

const folder = () => mkdtempSync(join(tmpdir(), 'podmates-signals-'));

/** A loopback port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test('a hold says when it is bound and ends when the `until` file appears, long before its longest time', async () => {
  const dir = folder();
  const [ready, done] = [join(dir, 'ready'), join(dir, 'done')];
  const held = hold({ host: '127.0.0.1', port: 0 }, 60_000, { ready, until: done });
  await waitForFiles([ready], 5000);
  void signal(done);
  const result = await held;
  expect(result).toMatchObject({ ok: true, accepted: 0 });
  expect(result.releasedAt! - result.boundAt!).toBeLessThan(30_000);
  // It cleans up its own ready file; the signal goes a second later.
  expect(existsSync(ready)).toBe(false);
});

test('connections the kernel completed before the `until` file are all counted, though the listener was too busy to accept them', async () => {
  const dir = folder();
  const [ready, done] = [join(dir, 'ready'), join(dir, 'done')];
  const port = await freePort();
  const held = hold({ host: '127.0.0.1', port }, 60_000, { ready, until: done });
  await waitForFiles([ready], 5000);
  // All in one go, the event loop blocked: the kernel completes the handshakes
  // into the listen backlog; the hold sees the file before it has accepted any.
  const sockets = Array.from({ length: 20 }, () => connect({ host: '127.0.0.1', port }).on('error', () => undefined));
  writeFileSync(done, '');
  const until = Date.now() + 100;
  while (Date.now() < until); // past the hold's 50 ms look for the file
  const result = await held;
  for (const socket of sockets) socket.destroy();
  expect(result).toMatchObject({ ok: true, accepted: 20 });
});

test('waiting for a file that never comes fails, naming it', async () => {
  const missing = join(folder(), 'sidecar-bound');
  await expect(waitForFiles([missing], 200)).rejects.toThrow(
    `waited 200 ms for ${missing}: the probe that writes it did not start or could not bind`,
  );
});

test('a hold that cannot bind says why and writes no ready file', async () => {
  const dir = folder();
  const first = hold({ host: '127.0.0.1', port: 0 }, 60_000, { until: join(dir, 'done') });
  // An abstract Unix socket name taken twice: the second bind fails.
  const name = { path: `\0podmates-test-${process.pid}` };
  const taken = hold(name, 60_000, { until: join(dir, 'done') });
  const ready = join(dir, 'ready');
  expect(await hold(name, 60_000, { ready })).toEqual({ ok: false, code: 'EADDRINUSE' });
  expect(existsSync(ready)).toBe(false);
  expect(await connectOnce(name)).toEqual({ ok: true });
  await signal(join(dir, 'done'));
  await Promise.all([first, taken]);
});
