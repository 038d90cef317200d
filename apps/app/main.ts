// The app container: public API on APP_PORT, requests onto the request queue,
// replies from the reply queue, statuses and namespaces from the sidecar over 127.0.0.1.
import { decodeReply, EnvelopeError } from '../shared/envelope.js';
import { createLogger } from '../shared/log.js';
import { openPodQueues } from '../shared/message-queue.js';
import { closeServer, listen, onShutdown } from '../shared/serve.js';
import { runService } from '../shared/start.js';
import { readAppConfig } from './config.js';
import { createAppMetrics } from './metrics.js';
import { createAppServer } from './server.js';
import { SidecarClient } from './sidecar-client.js';
import { Tracker } from './tracker.js';

const log = createLogger('app');

runService(log, async () => {
  const config = readAppConfig(process.env);
  const tracker = new Tracker(config.trackCapacity);
  const { requests, replies } = openPodQueues(config.queues);
  const metrics = createAppMetrics(() => requests.depth);
  const sidecar = new SidecarClient(config.sidecarUrl, config.sidecarTimeoutMs, (s) => metrics.loopbackSeconds.observe(s));

  replies.consume((bytes) => {
    let reply;
    try {
      reply = decodeReply(bytes);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      log.warn('malformed_reply', { queue: config.queues.replyQueue, reason: error.message, bytes: bytes.length });
      return;
    }
    const { first, seconds } = tracker.reply(reply.id, reply.processedAt);
    if (first && seconds !== null) {
      metrics.processed.inc();
      metrics.roundTripSeconds.observe(seconds);
    } else if (tracker.accepted.has(reply.id)) {
      metrics.duplicateReplies.inc();
      log.warn('duplicate_reply', { id: reply.id });
    } else {
      // Accepted before this process started (a restart) or evicted: still processed.
      metrics.processed.inc();
    }
  });

  const server = await listen(createAppServer({ requests, replies, sidecar, tracker, metrics }), config.listen, log);
  log.info('ready', { requestQueue: config.queues.requestQueue, replyQueue: config.queues.replyQueue, sidecar: config.sidecarUrl, pid: process.pid });

  onShutdown(log, async () => {
    await closeServer(server);
    replies.close();
    requests.close();
    sidecar.close();
  });
});
