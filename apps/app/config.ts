import { DEFAULT_APP_PORT, DEFAULT_SIDECAR_PORT, EnvReader, readQueueConfig, readShutdownTimeout, type QueueConfig } from '../shared/config.js';
import type { Endpoint } from '../shared/serve.js';

export interface RedeliveryConfig {
  /** How long a request may go unanswered before it is pushed again; 0 turns redelivery off. */
  timeoutMs: number;
  /** The wait doubles after each attempt, up to this. */
  maxTimeoutMs: number;
  /** After this many deliveries without a reply the message is marked failed, never retried forever. */
  maxAttempts: number;
}

export interface AppConfig {
  listen: Endpoint;
  /** The sidecar is always reached on 127.0.0.1: that is the point of sharing a network namespace. */
  sidecarUrl: string;
  sidecarTimeoutMs: number;
  queues: QueueConfig;
  /** How many answered messages are remembered (and kept in the journal). */
  trackCapacity: number;
  /** Accepted messages not yet answered, at most: past it, POST answers 503 (backpressure). */
  maxInFlight: number;
  /** The journal's folder: the Pod's emptyDir, which outlives the container. */
  stateDir: string;
  redelivery: RedeliveryConfig;
  shutdownTimeoutMs: number;
}

export function readAppConfig(env: Record<string, string | undefined>): AppConfig {
  const reader = new EnvReader(env);
  const sidecarPort = reader.int('SIDECAR_PORT', DEFAULT_SIDECAR_PORT, 1, 65535);
  const listen = { host: reader.host('APP_HOST', '0.0.0.0'), port: reader.int('APP_PORT', DEFAULT_APP_PORT, 1, 65535) };
  const timeoutMs = reader.int('REDELIVERY_TIMEOUT_MS', 5000, 0, 600_000);
  return reader.done({
    listen,
    sidecarUrl: `http://127.0.0.1:${sidecarPort}`,
    sidecarTimeoutMs: reader.int('SIDECAR_TIMEOUT_MS', 2000, 50, 60_000),
    queues: readQueueConfig(reader),
    trackCapacity: reader.int('TRACK_CAPACITY', 10_000, 1, 1_000_000),
    maxInFlight: reader.int('MAX_IN_FLIGHT', 200, 1, 10_000),
    stateDir: reader.absolutePath('STATE_DIR', '/state'),
    redelivery: {
      timeoutMs,
      maxTimeoutMs: Math.max(timeoutMs, 60_000),
      maxAttempts: reader.int('REDELIVERY_MAX_ATTEMPTS', 8, 1, 1000),
    },
    shutdownTimeoutMs: readShutdownTimeout(reader),
  });
}
