// Another container of the Pod, run as another UID, creates the queues first
// and opens them to everyone: it could then read every request and forge
// replies that the app would journal as real. Everything in a Pod shares its
// IPC namespace; file modes are the only wall. The services check who owns
// the queues they open and refuse, naming both UIDs.
import { afterEach, expect, test } from 'vitest';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { describePod } from '../support/describe-pod.js';
import { PodBox, serviceUid } from '../support/pod-box.js';
import { REPLY_QUEUE, REQUEST_QUEUE } from '../../apps/probe/contract.js';

let pod: PodBox | undefined;
afterEach(() => pod?.dispose());

describePod('a hostile neighbour in the Pod', () => {
  test('queues made first by another UID, open to all: both services refuse them and say whose they are', async () => {
    pod = await PodBox.create('hostile');
    const hostile = serviceUid() + 1;
    for (const queue of [REQUEST_QUEUE, REPLY_QUEUE]) {
      expect(await pod.probeAs(hostile).mqCreate(...queue, '0666')).toMatchObject({ owner: { uid: hostile, mode: 0o666 } });
    }
    for (const service of ['sidecar', 'app'] as const) {
      const exit = await pod.start(service).exit();
      expect(exit.exitCode, exit.output).toBe(ExitCode.queueUnavailable);
      expect(exit.output).toContain(
        `message queue /podmates.requests belongs to UID ${hostile} (mode 0666), but this container runs as UID ${serviceUid()}: another container of the Pod made it; refusing to use it`,
      );
    }
  });

  test('a queue of the right UID but open to others is refused too', async () => {
    pod = await PodBox.create('open-queue');
    await pod.probe().mqCreate(...REQUEST_QUEUE, '0666');
    const exit = await pod.start('sidecar').exit();
    expect(exit.exitCode).toBe(ExitCode.queueUnavailable);
    expect(exit.output).toContain(
      'message queue /podmates.requests has mode 0666: others in the Pod could read and write it; refusing to use it (it must be 0600)',
    );
  });
});
