// The app's way to the sidecar: HTTP over 127.0.0.1 with node-fetch and a
// keep-alive agent (a new TCP connection per call would dominate the latency).
import { Agent } from 'node:http';
import fetch from 'node-fetch';

export class SidecarUnreachable extends Error {}

export interface SidecarReply {
  status: number;
  body: unknown;
}

export class SidecarClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly observe: (seconds: number) => void = () => {},
  ) {}

  async get(path: string): Promise<SidecarReply> {
    const started = process.hrtime.bigint();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { agent: this.agent, signal: AbortSignal.timeout(this.timeoutMs) });
      const body: unknown = await response.json();
      this.observe(Number(process.hrtime.bigint() - started) / 1e9);
      return { status: response.status, body };
    } catch (error) {
      const cause = (error as { code?: string; name?: string; message?: string }) ?? {};
      const reason = cause.code ?? cause.name ?? cause.message ?? String(error);
      throw new SidecarUnreachable(`sidecar unreachable at ${this.baseUrl}${path}: ${reason}`);
    }
  }

  close(): void {
    this.agent.destroy();
  }
}
