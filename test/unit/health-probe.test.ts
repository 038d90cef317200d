// The sidecar's exec probe (apps/health/health.sh) as the kubelet runs it: a
// real bash against a real server on loopback; its exit code is the verdict.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';

const HEALTH = join(PROJECT_ROOT, 'apps/health/health.sh');
let server: Server | undefined;

afterEach(() => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

/** A server on a free loopback port that answers /healthz with `status` and, as the services do, the name of `service`; never when null. */
async function serving(status: number | null, service = 'sidecar'): Promise<number> {
  server = createServer((request, response) => {
    if (status === null) return;
    response.statusCode = request.url === '/healthz' ? status : 404;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ status: 'ok', service }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const probe = (which: string, env: Record<string, string>) => execa('bash', [HEALTH, which], { env, reject: false });

test("a 2xx from /healthz, from the service asked for, on the port of the container's environment passes", async () => {
  const port = await serving(200, 'sidecar');
  expect((await probe('sidecar', { SIDECAR_PORT: String(port) })).exitCode).toBe(0);
  server!.close();
  const appPort = await serving(200, 'app');
  expect((await probe('app', { APP_PORT: String(appPort) })).exitCode).toBe(0);
});

test('a 2xx from another service on that port fails: another container of the Pod holds it', async () => {
  const port = await serving(200, 'app');
  const result = await probe('sidecar', { SIDECAR_PORT: String(port) });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(
    `health: http://127.0.0.1:${port}/healthz answered 200, but not as the sidecar: another container of the Pod holds 127.0.0.1:${port}`,
  );
});

test('any other answer fails, saying what came', async () => {
  const port = await serving(503);
  const result = await probe('sidecar', { SIDECAR_PORT: String(port) });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`health: http://127.0.0.1:${port}/healthz answered 503`);
});

test('a port nobody listens on fails, saying so', async () => {
  const port = await serving(200);
  server!.close();
  const result = await probe('sidecar', { SIDECAR_PORT: String(port) });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toMatch(/Connection refused\n/);
  expect(result.stderr).toMatch(new RegExp(`health: http://127\\.0\\.0\\.1:${port}/healthz: no connection$`));
});

test('a server that accepts and never answers fails after 2 s', async () => {
  const port = await serving(null);
  const result = await probe('sidecar', { SIDECAR_PORT: String(port) });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toBe(`health: http://127.0.0.1:${port}/healthz: no answer within 2 s`);
});

test('an unknown container name is a usage error', async () => {
  const result = await probe('database', {});
  expect(result.exitCode).toBe(2);
  expect(result.stderr).toBe('usage: health.sh sidecar|app');
});
