// The Pod's state for the live page, made at most once a second however many
// ask: GET /api/state, GET /pod and every open event stream share one read
// (eight readlinks, a loopback call to the sidecar, ~5 KB of JSON), and one
// timer sends it to every stream. Streams are capped, and a reader that stops
// reading is dropped once its unsent bytes pass a bound, so that no client
// can make the app buffer without limit or starve its probes.
import type { Response } from 'express';
import type { PodState } from './pod-state.js';

/** How long one read of the state is served. */
export const STATE_LIFE_MS = 1000;
/** Event streams open at once, at most: the next gets 503 (a page needs one; the demo opens a few). */
export const MAX_EVENT_STREAMS = 32;
/** Unsent bytes after which a stream's reader is taken to have stopped reading (about ten states). */
export const SLOW_READER_BYTES = 64 * 1024;

export class StateFeed {
  private cached: { at: number; state: Promise<PodState>; json: Promise<string> } | null = null;
  private readonly streams = new Set<Response>();
  private timer: NodeJS.Timeout | null = null;
  /** Set by close(): the app is stopping. */
  closed = false;
  dropped = 0;

  constructor(
    private readonly read: () => Promise<PodState>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The state, read at most once per STATE_LIFE_MS. */
  state(): Promise<PodState> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= STATE_LIFE_MS) {
      const state = this.read();
      this.cached = { at: now, state, json: state.then((value) => JSON.stringify(value)) };
      this.cached.json.catch(() => {});
      // A failed read is not served again.
      state.catch(() => {
        if (this.cached?.state === state) this.cached = null;
      });
    }
    return this.cached.state;
  }

  /** The same state as JSON text, serialized once for everyone who asks within its life. */
  async json(): Promise<string> {
    await this.state();
    return this.cached!.json;
  }

  get open(): number {
    return this.streams.size;
  }

  /** Adds a stream that has written its headers; false when MAX_EVENT_STREAMS are open or the feed is closed. */
  subscribe(res: Response): boolean {
    if (this.closed || this.streams.size >= MAX_EVENT_STREAMS) return false;
    this.streams.add(res);
    res.on('close', () => this.unsubscribe(res));
    this.timer ??= setInterval(() => void this.broadcast(), STATE_LIFE_MS);
    void this.broadcast([res]);
    return true;
  }

  /**
   * At SIGTERM: ends every stream at once and takes no more, so that none
   * holds up the server's close. Not on the next state: that came up to two
   * seconds later (a state lives one), and only if the read succeeded.
   */
  close(): void {
    this.closed = true;
    for (const res of this.streams) res.end();
  }

  private unsubscribe(res: Response): void {
    this.streams.delete(res);
    if (this.streams.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private async broadcast(to: Iterable<Response> = this.streams): Promise<void> {
    let json: string;
    try {
      json = await this.json();
    } catch {
      return; // the next tick tries again
    }
    const event = `data: ${json}\n\n`;
    for (const res of [...to]) {
      if (!this.streams.has(res)) continue;
      if (res.writableLength > SLOW_READER_BYTES) {
        // Not reading: drop it rather than hold its bytes.
        this.dropped += 1;
        res.destroy();
        continue;
      }
      res.write(event);
    }
  }
}
