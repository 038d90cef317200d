import {
  DEFAULT_APP_PORT,
  DEFAULT_SIDECAR_PORT,
  EnvReader,
  readQueueConfig,
  readShutdownTimeout,
  type QueueConfig,
} from '../shared/config.js';
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
  return reader.done({
    listen: { host: reader.host('SIDECAR_HOST', '127.0.0.1'), port: reader.int('SIDECAR_PORT', DEFAULT_SIDECAR_PORT, 1, 65535) },
    appUrl: `http://127.0.0.1:${reader.int('APP_PORT', DEFAULT_APP_PORT, 1, 65535)}`,
    queues: readQueueConfig(reader),
    statusCapacity: reader.int('STATUS_CAPACITY', 10_000, 1, 1_000_000),
    workDelayMs: reader.int('WORK_DELAY_MS', 0, 0, 60_000),
    shutdownTimeoutMs: readShutdownTimeout(reader),
  });
}
