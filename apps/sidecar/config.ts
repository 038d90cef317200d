import { EnvReader, readPorts, readQueueConfig, readShutdownTimeout, type QueueConfig } from '../shared/config.js';
import type { Endpoint } from '../shared/serve.js';

export interface SidecarConfig {
  // 127.0.0.1 by default: only containers of the same Pod (same network namespace) can reach it.
  listen: Endpoint;
  /** Where the app listens: on shutdown the sidecar watches it over loopback, to outlive it. */
  appUrl: string;
  queues: QueueConfig;
  statusCapacity: number;
  /** Time spent on each request before its reply, one at a time (0: none): a slow sidecar, to show the drain with. */
  workDelayMs: number;
  shutdownTimeoutMs: number;
}

export function readSidecarConfig(env: Record<string, string | undefined>): SidecarConfig {
  const reader = new EnvReader(env);
  const host = reader.host('SIDECAR_HOST', '127.0.0.1');
  const ports = readPorts(reader);
  return reader.done({
    listen: { host, port: ports.sidecar },
    appUrl: `http://127.0.0.1:${ports.app}`,
    queues: readQueueConfig(reader),
    statusCapacity: reader.int('STATUS_CAPACITY', 10_000, 1, 1_000_000),
    workDelayMs: reader.int('WORK_DELAY_MS', 0, 0, 60_000),
    shutdownTimeoutMs: readShutdownTimeout(reader),
  });
}
