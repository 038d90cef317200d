// The sidecar container: takes requests from the request queue, does the work,
// answers on the reply queue, and serves statuses on 127.0.0.1 only.
import { decodeRequest, encodeReply, EnvelopeError } from '../shared/envelope.js';
import { failpoint } from '../shared/failpoint.js';
import { createLogger } from '../shared/log.js';
import { openPodQueues } from '../shared/message-queue.js';
import { closeServer, listen, onShutdown, waitFor } from '../shared/serve.js';
import { runService } from '../shared/start.js';
import { appState } from './app-watch.js';
import { readSidecarConfig } from './config.js';
import { createSidecarMetrics } from './metrics.js';
import { createSidecarServer } from './server.js';
import { Worker } from './worker.js';

const log = createLogger('sidecar');

/** After SIGTERM, how long the app gets to show it is stopping too (both get SIGTERM together after the same preStop). */
const POD_STOP_WAIT_MS = 2000;

runService(log, async () => {
  const config = readSidecarConfig(process.env);
  const worker = new Worker(config.statusCapacity);
  const { requests, replies } = openPodQueues(config.queues);
  const metrics = createSidecarMetrics(() => requests.depth);

  /** The reply this sidecar holds while the reply queue is full. */
  let pending: string | null = null;
  /** False while a stopping sidecar takes no new requests. */
  let taking = true;

  requests.consume((bytes) => {
    let request;
    try {
      request = decodeRequest(bytes);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      // Logged and counted once: nobody pushes it again (the app redelivers only what it journaled).
      metrics.malformed.inc();
      log.warn('malformed_message', { queue: config.queues.requestQueue, reason: error.message, bytes: bytes.length });
      return;
    }
    failpoint('sidecar-after-take', log);
    const { reply, redelivery } = worker.process(request);
    (redelivery ? metrics.redeliveries : metrics.processed).inc();
    const encoded = encodeReply(reply);
    if (replies.tryPush(encoded)) return;
    // The reply queue is full (the app is slow or restarting): stop taking
    // requests until this reply fits, so the request queue fills up, which the
    // app turns into 503s. Backpressure, not loss.
    metrics.replyWaits.inc();
    log.warn('reply_queue_full', { id: reply.id });
    requests.pause();
    pending = reply.id;
    replies.push(encoded).then(
      () => {
        pending = null;
        if (taking) requests.resume();
      },
      (error: unknown) => {
        // Only at shutdown. If the Pod lives on, the app pushes the request again.
        pending = null;
        metrics.repliesNotDelivered.inc();
        log.error('reply_not_delivered', { id: reply.id, message: String(error) });
      },
    );
  });

  const server = await listen(createSidecarServer(worker, metrics.registry, log), config.listen, log);
  log.info('ready', { requestQueue: config.queues.requestQueue, replyQueue: config.queues.replyQueue, pid: process.pid });

  onShutdown(
    log,
    async (softDeadline) => {
      const app = () => appState(config.appUrl);
      // Take nothing new until it is clear whether the whole Pod stops.
      taking = false;
      requests.pause();
      const podStopping = await waitFor(async () => (await app()) !== 'serving', Math.min(softDeadline, Date.now() + POD_STOP_WAIT_MS), 100);
      if (!podStopping) {
        // Restarted alone (the app keeps serving): requests wait in the Pod's
        // queue for the next sidecar; finish the reply in hand and go.
        await waitFor(() => pending === null, softDeadline);
      } else {
        // The whole Pod stops: the app refuses new messages and waits for the
        // replies of those it accepted. Answer until it has gone.
        log.info('outliving_app', { appUrl: config.appUrl });
        taking = true;
        if (pending === null) requests.resume();
        await waitFor(async () => (await app()) === 'gone', softDeadline, 100);
      }
      taking = false;
      requests.pause();
      if (pending !== null) log.warn('giving_up_reply', { id: pending, reason: 'the reply queue is full and nobody reads it' });
      replies.close();
      await closeServer(server);
      requests.close();
    },
    config.shutdownTimeoutMs,
  );
});
