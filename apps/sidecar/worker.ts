// The sidecar's real work: for each request from the queue, a SHA-256 digest and
// a word count, remembered by id so a redelivered message is not processed twice.
import { createHash } from 'node:crypto';
import { BoundedMap } from '../shared/bounded-map.js';
import { REPLY_VERSION, type ReplyEnvelope, type RequestEnvelope } from '../shared/envelope.js';

export interface MessageStatus {
  id: string;
  state: 'processed';
  sentAt: string;
  processedAt: string;
  sha256: string;
  words: number;
  /** How many times the queue delivered this id; work was done on the first. */
  deliveries: number;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}

export class Worker {
  readonly statuses: BoundedMap<string, MessageStatus>;

  constructor(capacity: number) {
    this.statuses = new BoundedMap(capacity);
  }

  /** Returns the reply to send, or null for a redelivery that was already processed. */
  process(request: RequestEnvelope, now = new Date()): ReplyEnvelope | null {
    const known = this.statuses.get(request.id);
    if (known) {
      known.deliveries += 1;
      return null;
    }
    const status: MessageStatus = {
      id: request.id,
      state: 'processed',
      sentAt: request.sentAt,
      processedAt: now.toISOString(),
      sha256: createHash('sha256').update(request.text, 'utf8').digest('hex'),
      words: countWords(request.text),
      deliveries: 1,
    };
    this.statuses.set(request.id, status);
    return { v: REPLY_VERSION, id: status.id, processedAt: status.processedAt, sha256: status.sha256, words: status.words };
  }
}
