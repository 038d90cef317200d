// Starting and stopping an HTTP server the way both containers need it.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Express } from 'express';
import type { Logger } from './log.js';
import { ExitCode } from './exit-codes.js';

/** Connections the kernel holds for accept(); see listen(). */
const ACCEPT_BACKLOG = 4096;

/** Each server's connections that have not sent a request yet; see closeServer(). */
const spares = new WeakMap<Server, Set<Socket>>();

export interface Endpoint {
  host: string;
  port: number;
}

/**
 * Listens, or exits with ExitCode.portInUse and one clear log line when another
 * process in this network namespace (in a Pod: another container) holds the port.
 */
export function listen(app: Express, endpoint: Endpoint, log: Logger): Promise<Server> {
  return new Promise((resolve) => {
    // A deep accept queue (the kernel caps it at net.core.somaxconn): with
    // Node's 511, a burst of connections overflows it and a probe's SYN waits
    // a second for its retransmit, which a 1 s liveness probe does not survive.
    const server = createServer(app).listen({ port: endpoint.port, host: endpoint.host, backlog: ACCEPT_BACKLOG });
    const spare = new Set<Socket>();
    spares.set(server, spare);
    server.on('connection', (socket: Socket) => {
      spare.add(socket);
      socket.once('close', () => spare.delete(socket));
    });
    server.on('request', (request: { socket: Socket }) => spare.delete(request.socket));
    server.once('listening', () => {
      log.info('listening', { host: endpoint.host, port: endpoint.port });
      resolve(server);
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        log.error('port_in_use', {
          host: endpoint.host,
          port: endpoint.port,
          message: `cannot listen on ${endpoint.host}:${endpoint.port}: address already in use; another container in the same Pod shares this network namespace and may hold the port`,
        });
        process.exit(ExitCode.portInUse);
      }
      log.error('listen_failed', { host: endpoint.host, port: endpoint.port, message: error.message });
      process.exit(ExitCode.software);
    });
  });
}

/**
 * Stops accepting connections and resolves once in-flight requests have
 * finished. A keep-alive connection that goes idle after close() (the other
 * container polling over loopback) would hold it open forever: idle ones are
 * closed until none is left. So are connections that never sent a request (a
 * browser's or an HTTP client's spare): Node counts them as busy, not idle,
 * and one held a stopping app until its SIGKILL (seen with Node's fetch, on
 * Podman's published port).
 */
export function closeServer(server: Server): Promise<void> {
  const closeUnused = () => {
    server.closeIdleConnections();
    for (const socket of spares.get(server) ?? []) socket.destroy();
  };
  return new Promise((resolve) => {
    const idle = setInterval(closeUnused, 50);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    closeUnused();
  });
}

/** Resolves true once `done()` holds, or false at `deadline` (a performance.now() time: no clock step moves it). */
export async function waitFor(done: () => boolean | Promise<boolean>, deadline: number, everyMs = 20): Promise<boolean> {
  while (!(await done())) {
    if (performance.now() >= deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0. `stop` gets a soft
 * deadline (performance.now() milliseconds) by which to give up waiting and say what it leaves undone; the hard
 * deadline after it exits 70 whatever happens (the kubelet's SIGKILL comes at
 * the end of terminationGracePeriodSeconds).
 */
export function onShutdown(log: Logger, stop: (softDeadline: number) => Promise<void>, timeoutMs = 5000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    log.info('stopping', { signal, timeoutMs });
    setTimeout(() => {
      log.error('stop_deadline_exceeded', { timeoutMs });
      process.exit(ExitCode.software);
    }, timeoutMs).unref();
    stop(started + timeoutMs - Math.min(1000, timeoutMs / 5)).then(
      () => {
        log.info('stopped', { ms: Math.round(performance.now() - started) });
        process.exit(ExitCode.ok);
      },
      (error: unknown) => {
        log.error('stop_failed', { message: String(error) });
        process.exit(ExitCode.software);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
