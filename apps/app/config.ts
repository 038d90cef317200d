import { EnvReader, readPorts, readQueueConfig, readShutdownTimeout, type QueueConfig } from '../shared/config.js';
import type { Endpoint } from '../shared/serve.js';
import type { DeliveryConfig } from './delivery.js';

export interface AppConfig {
  listen: Endpoint;
  /** Host names the app answers to besides IP literals and localhost (its Service's names): any other is refused (DNS rebinding). */
  allowedHosts: string[];
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
  delivery: DeliveryConfig;
  /** False only to show what the drain is for: on SIGTERM the app then exits at once, leaving what is unanswered. */
  drainOnShutdown: boolean;
  shutdownTimeoutMs: number;
}

export function readAppConfig(env: Record<string, string | undefined>): AppConfig {
  const reader = new EnvReader(env);
  const host = reader.host('APP_HOST', '0.0.0.0');
  const ports = readPorts(reader);
  const listen = { host, port: ports.app };
  return reader.done({
    listen,
    allowedHosts: reader.hostNames('ALLOWED_HOSTS'),
    sidecarUrl: `http://127.0.0.1:${ports.sidecar}`,
    sidecarTimeoutMs: reader.int('SIDECAR_TIMEOUT_MS', 2000, 50, 60_000),
    queues: readQueueConfig(reader),
    trackCapacity: reader.int('TRACK_CAPACITY', 10_000, 1, 1_000_000),
    // At most what the sidecar is asked about at once (HELD_MAX_IDS).
    maxInFlight: reader.int('MAX_IN_FLIGHT', 200, 1, 10_000),
    stateDir: reader.absolutePath('STATE_DIR', '/state'),
    delivery: {
      checkMs: reader.int('REDELIVERY_CHECK_MS', 1000, 0, 600_000),
      quarantineAfter: reader.int('QUARANTINE_AFTER_LOST', 3, 1, 1000),
    },
    drainOnShutdown: reader.bool('DRAIN_ON_SHUTDOWN', true),
    shutdownTimeoutMs: readShutdownTimeout(reader),
  });
}
