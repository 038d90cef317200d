// At-least-once delivery on a queue that forgets. mq_receive removes a
// message, so a sidecar killed between taking a request and pushing its reply
// loses it; and pushing a copy again while the first still waits in the queue
// would fill the queue with duplicates. The app therefore tracks takes, not
// time:
//
// - Where each copy is. Only this app pushes onto the request queue and the
//   queue is first in, first out, so it always holds the *last* `depth`
//   copies pushed: every copy before those has been taken by a sidecar. A
//   copy still in the queue is never pushed again, however long the sidecar
//   is away.
// - Whether the taker still holds it. For a copy taken and not answered
//   within `checkMs`, the app asks the sidecar over 127.0.0.1 (POST /held)
//   whether it holds it (working on it) or has answered it. Replies pushed
//   before its answer are read first. A copy it holds is left alone, however
//   long the work takes. One it answered whose reply this app never read was
//   read by an app that died: it is pushed again (the sidecar answers it from
//   memory). One it neither holds nor answered was taken by a sidecar that
//   died: a lost take, pushed again at once.
// - Poison. A message whose copies were lost `quarantineAfter` times (it
//   kills every sidecar that takes it) is quarantined: failed, with the
//   reason, never pushed again. Nothing else fails: a sidecar away for an hour
//   loses nothing.
//
// docs/survival.md draws the states and what a SIGKILL at each point does.
import { decodeRequest, encodeRequest } from '../shared/envelope.js';
import type { MessageQueue } from '../shared/message-queue.js';
import { DueTimer } from './due-timer.js';
import type { Ledger, Message } from './ledger.js';
import type { SidecarHolds } from './sidecar-client.js';

export interface DeliveryConfig {
  /** How long a taken copy may go unanswered before the app asks the sidecar about it; 0 turns redelivery off. */
  checkMs: number;
  /** Copies lost (taken by a sidecar that died) before the message is quarantined. */
  quarantineAfter: number;
}

export interface DeliveryHooks {
  redelivered(message: Message, why: string): void;
  quarantined(message: Message, reason: string): void;
  /** The sidecar could not be asked (it is away); called when that changes. */
  sidecarAnswers(answers: boolean, detail: string): void;
}

/** What the sidecar answering now holds and has answered of these ids, or null when it does not answer. */
export type AskSidecar = (ids: string[]) => Promise<SidecarHolds | null>;

/** How soon a copy that found the queue full is tried again. */
const ROOM_RETRY_MS = 50;
/** How often the drain looks, from SIGTERM on. */
const DRAIN_CHECK_MS = 100;

export class Delivery {
  /** Copies in push order since this app started (null: one the app did not make); the queue holds the last `depth` of them. */
  private readonly inQueue: Array<Message | null> = [];
  /** Messages with no copy anywhere, waiting for room (first in, first out). */
  private readonly unqueued: Message[] = [];
  private readonly timer: DueTimer;
  private checking: Promise<void> | null = null;
  private draining = false;
  private stopped = false;
  private sidecarAnswered = true;

  constructor(
    private readonly ledger: Ledger,
    private readonly requests: MessageQueue,
    /** Reads every reply now in the reply queue. */
    private readonly readReplies: () => void,
    private readonly askSidecar: AskSidecar,
    private readonly config: DeliveryConfig,
    private readonly hooks: DeliveryHooks,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.timer = new DueTimer(() => void this.check(), now);
  }

  get enabled(): boolean {
    return this.config.checkMs > 0;
  }

  /** Messages waiting for room in the request queue (new ones are refused meanwhile). */
  get backlog(): number {
    return this.unqueued.length;
  }

  /**
   * Room for a new message: no older one waits for room, and the queue has a
   * free slot. Only this app pushes, so the slot is still free when it pushes.
   */
  hasRoom(): boolean {
    return this.unqueued.length === 0 && this.requests.depth < this.requests.spec.maxMessages;
  }

  /**
   * Pushes a newly accepted (journaled) message; `encoded` is its envelope
   * when the caller already has it (the POST handler measured it), so the
   * hot path encodes once.
   */
  send(message: Message, encoded?: Buffer): void {
    this.push(message, true, undefined, encoded);
  }

  /**
   * At start: takes back every copy the previous app left in the request
   * queue (the sidecar may take some meanwhile) and pushes them again in their
   * order, so that this app knows what the queue holds. A request this app
   * never recorded (an init container's, say) is pushed back as it was: it is
   * not the app's to drop. A copy of an answered message, or a second copy of
   * one, is dropped. An unanswered message not found in the queue was taken by
   * a sidecar: it is asked about at once.
   */
  adopt(): { found: number; foreign: number; stale: number } {
    const found = new Set<string>();
    const order: Array<Message | Buffer> = [];
    let stale = 0;
    this.requests.takeAll((bytes) => {
      let id: string | null = null;
      try {
        id = decodeRequest(bytes).id;
      } catch {
        // Not a request this app can read: the sidecar logs and counts it, as it would have.
      }
      const message = id === null ? undefined : this.ledger.get(id);
      if (!message) {
        order.push(Buffer.from(bytes));
      } else if (message.result === null && message.failed === null && !found.has(message.id)) {
        found.add(message.id);
        order.push(message);
      } else {
        stale += 1;
      }
    });
    for (const entry of order) {
      if (!Buffer.isBuffer(entry)) this.push(entry, false);
      // Room is certain: the queue was just emptied, and only the sidecar takes.
      else if (this.requests.tryPush(entry)) this.inQueue.push(null);
    }
    const now = this.now();
    for (const message of this.ledger.unanswered) {
      if (found.has(message.id)) continue;
      message.stage = 'taken';
      message.checkAt = now;
    }
    this.arm();
    return { found: found.size, foreign: order.length - found.size, stale };
  }

  /** From SIGTERM on: look every DRAIN_CHECK_MS, and push again at once whatever a dead sidecar took. */
  drain(): void {
    this.draining = true;
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    this.timer.clear();
  }

  /** Looks where every unanswered copy is, and pushes again what was lost. One at a time. */
  check(): Promise<void> {
    this.checking ??= this.look().finally(() => {
      this.checking = null;
      this.arm();
    });
    return this.checking;
  }

  private async look(): Promise<void> {
    if (this.stopped) return;
    const now = this.now();
    this.pushUnqueued();
    this.markTaken(this.inQueue.length - this.requests.depth);
    const due: Message[] = [];
    for (const message of this.ledger.unanswered) {
      if (message.stage === 'taken' && this.enabled && (this.draining || message.checkAt <= now)) due.push(message);
      // Still in the queue (the sidecar is away or busy): nothing to do but look again later.
      else if (message.checkAt <= now) message.checkAt = now + this.config.checkMs;
    }
    if (due.length === 0) return;
    const held = await this.askSidecar(due.map((message) => message.id));
    // Stopped meanwhile (the app is closing its queues): nothing more to push.
    if (this.stopped) return;
    this.noteSidecar(held !== null);
    if (held === null) {
      // Away: whatever it took waits for the next sidecar, which is asked then.
      for (const message of due) message.checkAt = this.now() + this.config.checkMs;
      return;
    }
    // Replies pushed before the sidecar answered are in the reply queue: read them first.
    this.readReplies();
    for (const message of due) {
      if (message.result !== null || message.failed !== null || message.stage !== 'taken') continue;
      if (held.held.has(message.id)) {
        message.checkAt = this.now() + this.config.checkMs;
        continue;
      }
      if (held.answered.has(message.id)) {
        this.push(message, true, 'reply lost with an app that died');
        continue;
      }
      this.ledger.lost(message);
      if (message.lostTakes >= this.config.quarantineAfter) {
        const reason = `taken ${message.lostTakes} times by a sidecar that died before answering`;
        this.ledger.fail(message.id, reason);
        this.hooks.quarantined(message, reason);
        continue;
      }
      this.push(message, true, 'taken by a sidecar that died');
    }
  }

  /**
   * Pushes a copy, or keeps the message for later when the queue is full.
   * `count` is false for a copy moved back at start; `again` says why a copy
   * is pushed again.
   */
  private push(message: Message, count = true, again?: string, encoded?: Buffer): void {
    if (again !== undefined) message.again = again;
    const envelope =
      encoded ?? encodeRequest({ id: message.id, sentAt: message.sentAt, text: message.text ?? '' }, this.requests.writeBuffer);
    if (!this.requests.tryPush(envelope)) {
      message.stage = 'unqueued';
      if (!this.unqueued.includes(message)) this.unqueued.push(message);
      this.timer.at(this.now() + ROOM_RETRY_MS);
      return;
    }
    message.stage = 'queued';
    message.checkAt = this.now() + this.config.checkMs;
    if (count) message.deliveries += 1;
    if (count && message.again !== null) this.hooks.redelivered(message, message.again);
    message.again = null;
    this.inQueue.push(message);
    // The queue holds at most maxMessages: copies pushed before those have been taken, without asking the kernel.
    if (this.inQueue.length > 2 * this.requests.spec.maxMessages) this.markTaken(this.inQueue.length - this.requests.spec.maxMessages);
    if (this.enabled) this.timer.at(message.checkAt);
  }

  private pushUnqueued(): void {
    while (this.unqueued.length > 0 && this.requests.depth < this.requests.spec.maxMessages) {
      const message = this.unqueued.shift()!;
      if (message.result === null && message.failed === null) this.push(message);
    }
  }

  /**
   * The first `count` copies of the push order have left the queue. Each is
   * asked about when its check time (checkMs after its push) comes; a sidecar
   * that took it just now holds it and says so.
   */
  private markTaken(count: number): void {
    for (const message of this.inQueue.splice(0, Math.max(0, count))) {
      if (message?.stage === 'queued' && message.result === null && message.failed === null) message.stage = 'taken';
    }
  }

  private arm(): void {
    if (this.stopped) return;
    const now = this.now();
    if (this.unqueued.length > 0) this.timer.at(now + ROOM_RETRY_MS);
    if (this.draining) this.timer.at(now + DRAIN_CHECK_MS);
    if (!this.enabled) return;
    const next = this.ledger.nextCheckAt;
    if (next !== null) this.timer.at(next);
  }

  private noteSidecar(answers: boolean): void {
    if (answers === this.sidecarAnswered) return;
    this.sidecarAnswered = answers;
    this.hooks.sidecarAnswers(
      answers,
      answers ? 'the sidecar answers again' : 'the sidecar does not answer: copies it took wait for the next one',
    );
  }
}
