// The project's own queue path: MessageQueue (apps/shared/message-queue.ts, with
// its posix-mq workarounds) carrying versioned envelopes (apps/shared/envelope.ts),
// encoded and decoded on both sides as the app and the sidecar do.
import { randomUUID } from 'node:crypto';
import { decodeRequest, encodeEnvelope, ENVELOPE_VERSION } from '../../../apps/shared/envelope.js';
import { MessageQueue } from '../../../apps/shared/message-queue.js';
import { ENDPOINTS, QUEUE_SPEC } from '../protocol.js';
import { noReply, type Channel, type Transport } from './transport.js';

function openQueues() {
  const requests = new MessageQueue({ name: ENDPOINTS.mqRequest, ...QUEUE_SPEC });
  const replies = new MessageQueue({ name: ENDPOINTS.mqReply, ...QUEUE_SPEC });
  requests.open();
  replies.open();
  return { requests, replies };
}

export const mqChannel: Channel = {
  async connect(): Promise<Transport> {
    const { requests, replies } = openQueues();
    // Ids in flight, oldest first: every reply must be the echo of the oldest request.
    const inFlight: string[] = [];
    let lastPayload: Buffer | null = null;
    let text = '';
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        if (payload !== lastPayload) {
          lastPayload = payload;
          text = payload.toString('utf8');
        }
        const id = randomUUID();
        const envelope = encodeEnvelope({ v: ENVELOPE_VERSION, id, sentAt: new Date().toISOString(), text });
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
      const encoded = encodeEnvelope(decodeRequest(bytes));
      if (replies.tryPush(encoded)) return;
      requests.pause();
      void replies.push(encoded).then(() => requests.resume());
    });
  },
};
