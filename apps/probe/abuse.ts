// A hostile client of the app's public port, run inside the Pod's network
// namespace: `streams` event streams opened and never read, `flooders`
// clients asking GET /api/state as fast as they are answered, for `ms`. And,
// in a process of its own as the kubelet is, a liveness probe of /healthz
// every second on a connection of its own with a 1 s timeout, which reports
// every probe that failed.
import { connect, type Socket } from 'node:net';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface AbuseResult {
  streams: { opened: number; answers: Record<string, number> };
  floodRequests: number;
}

export interface LivenessResult {
  probes: number;
  /** Probes that failed or took over 1 s: each would count towards a liveness failure. */
  failedProbes: string[];
  slowestProbeMs: number;
}

function probeOnce(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // A new connection each time, as the kubelet's HTTP probe makes one.
    const req = request(`${url}/healthz`, { timeout: 1000, agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 1 s')));
    req.on('error', reject);
    req.end();
  });
}

export async function abuse(url: string, streams: number, flooders: number, ms: number): Promise<AbuseResult> {
  const { hostname, port } = new URL(url);
  const result: AbuseResult = { streams: { opened: 0, answers: {} }, floodRequests: 0 };
  const sockets: Socket[] = [];
  for (let i = 0; i < streams; i++) {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => {});
    socket.once('data', (chunk: Buffer) => {
      const status = /^HTTP\/1\.1 (\d+)/.exec(chunk.toString('latin1'))?.[1] ?? '?';
      result.streams.answers[status] = (result.streams.answers[status] ?? 0) + 1;
      socket.pause(); // and never read again
    });
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
    sockets.push(socket);
    result.streams.opened += 1;
  }
  const deadline = performance.now() + ms;
  const agent = new Agent({ keepAlive: true, maxSockets: flooders });
  const flood = async () => {
    while (performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const req = request(`${url}/api/state`, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', () => resolve());
        req.end();
      });
      result.floodRequests += 1;
    }
  };
  await Promise.all(Array.from({ length: flooders }, flood));
  for (const socket of sockets) socket.destroy();
  agent.destroy();
  return result;
}

/** GET /healthz every second for `ms`, as the kubelet's liveness probe does. */
export async function liveness(url: string, ms: number): Promise<LivenessResult> {
  const result: LivenessResult = { probes: 0, failedProbes: [], slowestProbeMs: 0 };
  const started = performance.now();
  while (performance.now() - started < ms) {
    const tick = sleep(1000);
    result.probes += 1;
    try {
      result.slowestProbeMs = Math.max(result.slowestProbeMs, Math.round(await probeOnce(url)));
    } catch (error) {
      result.failedProbes.push(`${Math.round(performance.now() - started)} ms: ${(error as Error).message}`);
    }
    await tick;
  }
  return result;
}
