// The sidecar container: takes requests from the request queue, does the work,
// answers on the reply queue, and serves statuses on 127.0.0.1 only.
import { decodeOrReport, decodeRequest, encodeReply, type RequestEnvelope } from '../shared/envelope.js';
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

  /** Requests taken and not answered yet: in the work (WORK_DELAY_MS), or a reply waiting for room. */
  const inHand = new Set<string>();
  /** False while a stopping sidecar takes no new requests. */
  let taking = true;
  // Listening before taking: a sidecar that takes requests can always be asked
  // what it holds (POST /held): the app pushes again what no live sidecar holds.
  const server = await listen(createSidecarServer(worker, inHand, metrics.registry, log), config.listen, log);

  /** Does the work and pushes the reply; false when the reply waits for room (requests are paused until it fits). */
  const answer = (request: RequestEnvelope): boolean => {
    const { reply, redelivery } = worker.process(request);
    (redelivery ? metrics.redeliveries : metrics.processed).inc();
    const encoded = encodeReply(reply);
    if (replies.tryPush(encoded)) {
      inHand.delete(request.id);
      return true;
    }
    // The reply queue is full (the app is slow or restarting): stop taking
    // requests until this reply fits, so the request queue fills up, which the
    // app turns into 503s. Backpressure, not loss.
    metrics.replyWaits.inc();
    log.warn('reply_queue_full', { id: reply.id });
    requests.pause();
    replies.push(encoded).then(
      () => {
        inHand.delete(request.id);
        if (taking) requests.resume();
      },
      (error: unknown) => {
        // Only at shutdown. If the Pod lives on, the app pushes the request again.
        inHand.delete(request.id);
        metrics.repliesNotDelivered.inc();
        log.error('reply_not_delivered', { id: reply.id, message: String(error) });
      },
    );
    return false;
  };

  requests.consume((bytes) => {
    const request = decodeOrReport(decodeRequest, bytes, (reason) => {
      // Logged and counted once: nobody pushes it again (the app redelivers only what it journaled).
      metrics.malformed.inc();
      log.warn('malformed_message', { queue: config.queues.requestQueue, reason, bytes: bytes.length });
    });
    if (!request) return;
    inHand.add(request.id);
    failpoint('sidecar-after-take', log, request.text);
    if (config.workDelayMs === 0) {
      answer(request);
      return;
    }
    // Slowed on purpose (the drain is shown with it): one request at a time, the rest wait in the queue.
    requests.pause();
    setTimeout(() => {
      if (answer(request) && taking) requests.resume();
    }, config.workDelayMs);
  });
  log.info('ready', { requestQueue: config.queues.requestQueue, replyQueue: config.queues.replyQueue, pid: process.pid });

  onShutdown(
    log,
    async (softDeadline) => {
      const app = () => appState(config.appUrl);
      // Take nothing new until it is clear whether the whole Pod stops.
      taking = false;
      requests.pause();
      const podStopping = await waitFor(
        async () => (await app()) !== 'serving',
        Math.min(softDeadline, performance.now() + POD_STOP_WAIT_MS),
        100,
      );
      if (!podStopping) {
        // Restarted alone (the app keeps serving): requests wait in the Pod's
        // queue for the next sidecar; finish the reply in hand and go.
        await waitFor(() => inHand.size === 0, softDeadline);
      } else {
        // The whole Pod stops: the app refuses new messages and waits for the
        // replies of those it accepted. Answer until it has gone.
        log.info('outliving_app', { appUrl: config.appUrl });
        taking = true;
        if (inHand.size === 0) requests.resume();
        await waitFor(async () => (await app()) === 'gone', softDeadline, 100);
      }
      taking = false;
      requests.pause();
      if (inHand.size > 0) log.warn('giving_up_reply', { ids: [...inHand], reason: 'the reply queue is full and nobody reads it' });
      replies.close();
      await closeServer(server);
      requests.close();
    },
    config.shutdownTimeoutMs,
  );
});
