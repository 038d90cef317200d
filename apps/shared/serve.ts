// Starting and stopping an HTTP server the way both containers need it.
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from './log.js';
import { ExitCode } from './exit-codes.js';

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
    const server = app.listen(endpoint.port, endpoint.host);
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

/** Stops accepting connections and resolves once in-flight requests have finished. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0; a hard deadline guarantees a
 * quick exit (Kubernetes sends SIGKILL after terminationGracePeriodSeconds).
 */
export function onShutdown(log: Logger, stop: () => Promise<void>, deadlineMs = 5000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    setTimeout(() => {
      log.error('stop_deadline_exceeded', { deadlineMs });
      process.exit(ExitCode.software);
    }, deadlineMs).unref();
    stop().then(
      () => {
        log.info('stopped');
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
