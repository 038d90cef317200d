// At-least-once delivery on a queue that forgets: mq_receive removes a message,
// so a sidecar killed between taking a request and pushing its reply loses it.
// The app therefore pushes a request again, with the same id, when no reply has
// come within a timeout that doubles after every attempt. The sidecar's work is
// idempotent and the app records only the first reply, so the effect is
// exactly once. After maxAttempts the message is marked failed, never retried
// forever.
import { encodeRequest } from '../shared/envelope.js';
import type { MessageQueue } from '../shared/message-queue.js';
import type { RedeliveryConfig } from './config.js';
import type { Ledger, Message } from './ledger.js';

export interface RedeliveryHooks {
  redelivered(message: Message): void;
  gaveUp(message: Message): void;
}

export class Redelivery {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly requests: MessageQueue,
    private readonly config: RedeliveryConfig,
    private readonly hooks: RedeliveryHooks,
  ) {}

  get enabled(): boolean {
    return this.config.timeoutMs > 0;
  }

  /** When a message pushed now should be pushed again if still unanswered. */
  firstDueAt(now = Date.now()): number {
    return this.enabled ? now + this.config.timeoutMs : Infinity;
  }

  /** Makes sure a timer runs while something is waiting; no timer at all while idle. */
  schedule(): void {
    if (this.timer || this.stopped || !this.enabled) return;
    const next = this.ledger.nextDueAt;
    if (next === null || next === Infinity) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
      this.schedule();
    }, Math.max(10, next - Date.now()));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private backoff(deliveries: number): number {
    return Math.min(this.config.timeoutMs * 2 ** (deliveries - 1), this.config.maxTimeoutMs);
  }

  /** Pushes again what is due at `now`; the timer calls it, tests call it with a time of their own. */
  tick(now = Date.now()): void {
    let full = false;
    for (const message of this.ledger.due(now)) {
      if (message.deliveries >= this.config.maxAttempts) {
        this.ledger.fail(message.id, `no reply after ${message.deliveries} deliveries`);
        this.hooks.gaveUp(message);
        continue;
      }
      // A full queue is busy, not lost: try again shortly (and the rest with it, without encoding them now).
      full ||= !this.requests.tryPush(encodeRequest({ id: message.id, sentAt: message.sentAt, text: message.text ?? '' }, this.requests.writeBuffer));
      if (full) {
        message.dueAt = now + Math.min(this.config.timeoutMs, 1000);
        continue;
      }
      message.deliveries += 1;
      message.dueAt = now + this.backoff(message.deliveries);
      this.hooks.redelivered(message);
    }
  }
}
