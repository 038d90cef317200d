import { expect, test } from 'vitest';
import { readAppConfig } from '../../apps/app/config.js';
import { ConfigError } from '../../apps/shared/config.js';
import { readSidecarConfig } from '../../apps/sidecar/config.js';

test('defaults: app public on 0.0.0.0:8080, sidecar on 127.0.0.1:9090, queues within unprivileged limits', () => {
  const app = readAppConfig({});
  const sidecar = readSidecarConfig({});
  expect(app.listen).toEqual({ host: '0.0.0.0', port: 8080 });
  expect(app.sidecarUrl).toBe('http://127.0.0.1:9090');
  expect(sidecar.listen).toEqual({ host: '127.0.0.1', port: 9090 });
  expect(app.queues).toEqual(sidecar.queues);
  expect(app.queues).toEqual({ requestQueue: '/podmates.requests', replyQueue: '/podmates.replies', maxMessages: 10, messageSize: 4096 });
});

test('the app reaches the sidecar on 127.0.0.1 at the port both read from SIDECAR_PORT', () => {
  expect(readAppConfig({ SIDECAR_PORT: '9191' }).sidecarUrl).toBe('http://127.0.0.1:9191');
  expect(readSidecarConfig({ SIDECAR_PORT: '9191' }).listen.port).toBe(9191);
});

test('every problem is reported at once', () => {
  const read = () =>
    readSidecarConfig({ SIDECAR_PORT: '70000', QUEUE_MAX_MESSAGES: '11', REQUEST_QUEUE: 'no-slash', SIDECAR_HOST: 'evil host' });
  expect(read).toThrow(ConfigError);
  try {
    read();
  } catch (error) {
    expect((error as ConfigError).problems).toEqual([
      'SIDECAR_HOST="evil host" must be an IP address or localhost',
      'SIDECAR_PORT="70000" must be an integer from 1 to 65535',
      'REQUEST_QUEUE="no-slash" must be "/" followed by 1-254 characters without "/"',
      'QUEUE_MAX_MESSAGES="11" must be an integer from 1 to 10',
    ]);
  }
});

test('queue sizes above the unprivileged limits are refused (they need CAP_SYS_RESOURCE)', () => {
  expect(() => readAppConfig({ QUEUE_MESSAGE_SIZE: '8193' })).toThrow(/QUEUE_MESSAGE_SIZE="8193" must be an integer from 256 to 8192/);
  expect(() => readAppConfig({ QUEUE_MAX_MESSAGES: '0' })).toThrow(/QUEUE_MAX_MESSAGES/);
});

test('the request and reply queues must be different queues', () => {
  expect(() => readAppConfig({ REQUEST_QUEUE: '/same', REPLY_QUEUE: '/same' })).toThrow(/REQUEST_QUEUE and REPLY_QUEUE must differ/);
});

test('non-integer numbers are refused', () => {
  expect(() => readAppConfig({ APP_PORT: '80.5' })).toThrow(/APP_PORT="80.5"/);
  expect(() => readAppConfig({ SIDECAR_TIMEOUT_MS: '10' })).toThrow(/SIDECAR_TIMEOUT_MS="10" must be an integer from 50/);
});

test('the app journals to STATE_DIR (the Pod volume), asks about taken copies after 1 s, quarantines after 3 lost copies, and drains', () => {
  const app = readAppConfig({});
  expect(app.stateDir).toBe('/state');
  expect(app.delivery).toEqual({ checkMs: 1000, quarantineAfter: 3 });
  expect(app.drainOnShutdown).toBe(true);
  expect(readAppConfig({ REDELIVERY_CHECK_MS: '0' }).delivery.checkMs).toBe(0);
  expect(readAppConfig({ DRAIN_ON_SHUTDOWN: 'false' }).drainOnShutdown).toBe(false);
  expect(() => readAppConfig({ DRAIN_ON_SHUTDOWN: 'no' })).toThrow(/DRAIN_ON_SHUTDOWN="no" must be true or false/);
  expect(() => readAppConfig({ STATE_DIR: 'state' })).toThrow(/STATE_DIR="state" must be an absolute path/);
});

test('the sidecar watches the app on 127.0.0.1 at APP_PORT', () => {
  expect(readSidecarConfig({ APP_PORT: '8181' }).appUrl).toBe('http://127.0.0.1:8181');
});
