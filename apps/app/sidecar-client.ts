// The app's way to the sidecar: HTTP over 127.0.0.1 with node-fetch and a
// keep-alive agent (a new TCP connection per call would dominate the latency).
import { Agent } from 'node:http';
import fetch from 'node-fetch';

export class SidecarUnreachable extends Error {}

/** What the sidecar answering now says about copies taken from the request queue. */
export interface SidecarHolds {
  /** Taken, reply not pushed yet: it is working on them. */
  held: Set<string>;
  /** Answered: their reply was pushed. */
  answered: Set<string>;
}

export interface SidecarReply {
  status: number;
  body: unknown;
}

export class SidecarClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly observe: (seconds: number) => void = () => {},
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  get(path: string): Promise<SidecarReply> {
    return this.call(path);
  }

  post(path: string, body: unknown): Promise<SidecarReply> {
    return this.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  }

  private async call(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<SidecarReply> {
    const started = process.hrtime.bigint();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { ...init, agent: this.agent, signal: AbortSignal.timeout(this.timeoutMs) });
      const body: unknown = await response.json();
      this.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return { status: response.status, body };
    } catch (error) {
      const cause = (error as { code?: string; name?: string; message?: string }) ?? {};
      const reason = cause.code ?? cause.name ?? cause.message ?? String(error);
      throw new SidecarUnreachable(`sidecar unreachable at ${this.baseUrl}${path}: ${reason}`);
    }
  }

  /** Which of these ids the sidecar holds and which it has answered (delivery.ts), or null when it does not answer. */
  async held(ids: string[]): Promise<SidecarHolds | null> {
    const set = (value: unknown) => new Set(Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
    try {
      const reply = await this.post('/held', { ids });
      const body = reply.body as { held?: unknown; answered?: unknown } | null;
      return reply.status === 200 && body !== null ? { held: set(body.held), answered: set(body.answered) } : null;
    } catch (error) {
      if (error instanceof SidecarUnreachable) return null;
      throw error;
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
