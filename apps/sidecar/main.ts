// The sidecar container: takes requests from the request queue, does the work,
// answers on the reply queue, and serves statuses on 127.0.0.1 only.
import { decodeRequest, encodeReply, EnvelopeError } from '../shared/envelope.js';
import { createLogger } from '../shared/log.js';
import { openPodQueues } from '../shared/message-queue.js';
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { runService } from '../shared/start.js';
import { readSidecarConfig } from './config.js';
import { createSidecarMetrics } from './metrics.js';
import { createSidecarServer } from './server.js';
import { Worker } from './worker.js';

const log = createLogger('sidecar');

runService(log, async () => {
  const config = readSidecarConfig(process.env);
  const worker = new Worker(config.statusCapacity);
  const { requests, replies } = openPodQueues(config.queues);
  const metrics = createSidecarMetrics(() => requests.depth);

  let pendingReply: Promise<void> = Promise.resolve();

  requests.consume((bytes) => {
    let request;
    try {
      request = decodeRequest(bytes);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      metrics.malformed.inc();
      log.warn('malformed_message', { queue: config.queues.requestQueue, reason: error.message, bytes: bytes.length });
      return;
    }
    const reply = worker.process(request);
    if (!reply) {
      metrics.duplicates.inc();
      log.info('duplicate_skipped', { id: request.id });
      return;
    }
    metrics.processed.inc();
    const encoded = encodeReply(reply);
    if (replies.tryPush(encoded)) return;
    // The reply queue is full (the app is slow or restarting): stop taking
    // requests until this reply fits, so nothing is dropped and the request
    // queue fills up, which the app turns into 503s.
    metrics.replyWaits.inc();
    log.warn('reply_queue_full', { id: reply.id });
    requests.pause();
    pendingReply = replies.push(encoded).then(
      () => requests.resume(),
      (error: unknown) => log.error('reply_lost_on_shutdown', { id: reply.id, message: String(error) }),
    );
  });

  const server = await listen(createSidecarServer(worker, metrics.registry), config.listen, log);
  log.info('ready', { requestQueue: config.queues.requestQueue, replyQueue: config.queues.replyQueue, pid: process.pid });

  onShutdown(log, async () => {
    requests.pause();
    await Promise.all([closeServer(server), pendingReply]);
    requests.close();
    replies.close();
  });
});
