// The project's own queue path: MessageQueue (apps/shared/message-queue.ts, on
// the patched posix-mq) carrying versioned envelopes (apps/shared/envelope.ts),
// encoded and decoded on both sides as the app and the sidecar do.
import { decodeRequest, encodeRequest } from '../../../apps/shared/envelope.js';
import { openPodQueues } from '../../../apps/shared/message-queue.js';
import { ENDPOINTS, QUEUE_SPEC } from '../protocol.js';
import { unlinkQueue } from './mq-raw.js';
import { newRequest, noReply, perPayload, type Channel, type Transport } from './transport.js';

const openQueues = () => openPodQueues({ requestQueue: ENDPOINTS.mqRequest, replyQueue: ENDPOINTS.mqReply, ...QUEUE_SPEC });

export const mqChannel: Channel<'mq'> = {
  name: 'mq',
  label: 'POSIX MQ, project path',
  colour: '#d62728',

  async connect(): Promise<Transport> {
    const { requests, replies } = openQueues();
    // Ids in flight, oldest first: every reply must be the echo of the oldest request.
    const inFlight: string[] = [];
    const textOf = perPayload((payload) => payload.toString('utf8'));
    let text = '';
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        text = textOf(payload);
        const { id, envelope } = newRequest(text, (request) => encodeRequest(request, requests.writeBuffer));
        // The window is below the queue's capacity, so a full queue means a lost consumer.
        if (!requests.tryPush(envelope)) throw new Error(`${ENDPOINTS.mqRequest} is full with at most a window of messages in flight`);
        inFlight.push(id);
      },
    };
    replies.consume((bytes) => {
      const reply = decodeRequest(bytes);
      if (reply.id !== inFlight.shift() || reply.text.length !== text.length) throw new Error(`unexpected reply ${reply.id}`);
      transport.onReply();
    });
    return transport;
  },

  async serve(): Promise<void> {
    const { requests, replies } = openQueues();
    // As the sidecar does: decode, answer, and stop taking requests while the reply queue is full.
    requests.consume((bytes) => {
      const encoded = encodeRequest(decodeRequest(bytes), replies.writeBuffer);
      if (replies.tryPush(encoded)) return;
      requests.pause();
      void replies.push(encoded).then(() => requests.resume());
    });
  },

  cleanUp(): void {
    // The queues' memory counts against the UID's RLIMIT_MSGQUEUE until their names are gone.
    [ENDPOINTS.mqRequest, ENDPOINTS.mqReply].forEach(unlinkQueue);
  },
};
