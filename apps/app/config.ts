import { DEFAULT_SIDECAR_PORT, EnvReader, readQueueConfig, type QueueConfig } from '../shared/config.js';
import type { Endpoint } from '../shared/serve.js';

export interface AppConfig {
  listen: Endpoint;
  /** The sidecar is always reached on 127.0.0.1: that is the point of sharing a network namespace. */
  sidecarUrl: string;
  sidecarTimeoutMs: number;
  queues: QueueConfig;
  trackCapacity: number;
}

export function readAppConfig(env: Record<string, string | undefined>): AppConfig {
  const reader = new EnvReader(env);
  const sidecarPort = reader.int('SIDECAR_PORT', DEFAULT_SIDECAR_PORT, 1, 65535);
  const listen = { host: reader.host('APP_HOST', '0.0.0.0'), port: reader.int('APP_PORT', 8080, 1, 65535) };
  return reader.done({
    listen,
    sidecarUrl: `http://127.0.0.1:${sidecarPort}`,
    sidecarTimeoutMs: reader.int('SIDECAR_TIMEOUT_MS', 2000, 50, 60_000),
    queues: readQueueConfig(reader),
    trackCapacity: reader.int('TRACK_CAPACITY', 10_000, 1, 1_000_000),
  });
}
