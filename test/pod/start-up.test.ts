// Start-up failures: one clear log line and a documented exit code, no stack trace.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { describePod } from '../support/describe-pod.js';
import { PodBox } from '../support/pod-box.js';

describePod('start-up failures', () => {
  let pod: PodBox;
  beforeAll(async () => {
    pod = await PodBox.create('start-up');
  });
  afterAll(() => pod?.dispose());

  test('invalid settings: exit 78 and every problem named', async () => {
    const exit = await pod.start('sidecar', { QUEUE_MAX_MESSAGES: '50', SIDECAR_PORT: 'http' }).exit();
    expect(exit.exitCode).toBe(ExitCode.config);
    expect(exit.output).toContain('QUEUE_MAX_MESSAGES=\\"50\\" must be an integer from 1 to 10');
    expect(exit.output).toContain('SIDECAR_PORT=\\"http\\"');
    expect(exit.output).not.toContain('    at ');
  });

  test('a queue that exists with other settings: exit 69 and what to align', async () => {
    const sidecar = pod.start('sidecar');
    await sidecar.waitForEvent('ready');
    const exit = await pod.start('app', { QUEUE_MESSAGE_SIZE: '2048' }).exit();
    expect(exit.exitCode).toBe(ExitCode.queueUnavailable);
    expect(exit.output).toContain('exists with maxMessages=10 messageSize=4096, but this container expects 10/2048');
    await sidecar.stop();
  });

  test('no folder for the journal: exit 73 and where to mount the Pod volume', async () => {
    const exit = await pod.start('app', { STATE_DIR: '/nonexistent/podmates' }).exit();
    expect(exit.exitCode).toBe(ExitCode.cantCreate);
    expect(exit.output).toContain("STATE_DIR /nonexistent/podmates does not exist: mount the Pod's emptyDir volume there");
  });
});
