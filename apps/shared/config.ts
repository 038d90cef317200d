// Reads service settings from the environment. Every problem is collected and
// reported at once, so a misconfigured container says everything in one log line.

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Record<string, string | undefined>;

export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  host(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9a-fA-F.:]+$/.test(raw) && raw !== 'localhost') {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an IP address or localhost`);
      return fallback;
    }
    return raw;
  }

  /** A comma-separated list of DNS names (lower case); empty when unset. */
  hostNames(name: string): string[] {
    const raw = this.env[name];
    if (raw === undefined || raw.trim() === '') return [];
    const names = raw.split(',').map((part) => part.trim().toLowerCase());
    const bad = names.filter((part) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(part));
    if (bad.length > 0) this.problems.push(`${name}=${JSON.stringify(raw)} must be DNS names separated by commas (not: ${bad.join(', ')})`);
    return names;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (raw !== 'true' && raw !== 'false') {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be true or false`);
      return fallback;
    }
    return raw === 'true';
  }

  queueName(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    // mq_overview(7): a slash, then up to NAME_MAX-1 characters none of which is a slash.
    if (!/^\/[^/\0]{1,254}$/.test(raw)) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be "/" followed by 1-254 characters without "/"`);
      return fallback;
    }
    return raw;
  }

  absolutePath(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!raw.startsWith('/')) {
      this.problems.push(`${name}=${JSON.stringify(raw)} must be an absolute path`);
      return fallback;
    }
    return raw;
  }

  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
    return value;
  }
}

/** Queue settings both containers must agree on; see README "Who owns the queues". */
export interface QueueConfig {
  requestQueue: string;
  replyQueue: string;
  // Unprivileged limits (no CAP_SYS_RESOURCE): fs.mqueue.msg_max 10, msgsize_max 8192.
  maxMessages: number;
  messageSize: number;
}

/** What both services use when the environment says nothing (the ConfigMap says the same). */
export const QUEUE_DEFAULTS: QueueConfig = {
  requestQueue: '/podmates.requests',
  replyQueue: '/podmates.replies',
  maxMessages: 10,
  // 4096, not the kernel's 8192: a Pod's two queues then take 83,840 bytes of
  // the UID's 819,200-byte RLIMIT_MSGQUEUE, so 9 Pods of one UID fit on a
  // node's kernel (step 5j finds it); 8192 fits only 4.
  messageSize: 4096,
};

export function readQueueConfig(reader: EnvReader): QueueConfig {
  const config = {
    requestQueue: reader.queueName('REQUEST_QUEUE', QUEUE_DEFAULTS.requestQueue),
    replyQueue: reader.queueName('REPLY_QUEUE', QUEUE_DEFAULTS.replyQueue),
    maxMessages: reader.int('QUEUE_MAX_MESSAGES', QUEUE_DEFAULTS.maxMessages, 1, 10),
    messageSize: reader.int('QUEUE_MESSAGE_SIZE', QUEUE_DEFAULTS.messageSize, 256, 8192),
  };
  if (config.requestQueue === config.replyQueue) {
    reader.problems.push(`REQUEST_QUEUE and REPLY_QUEUE must differ (both are ${config.requestQueue})`);
  }
  return config;
}

/** The Pod's two ports, which both containers must agree on: each reaches the other on 127.0.0.1 by them. */
export function readPorts(reader: EnvReader): { sidecar: number; app: number } {
  return { sidecar: reader.int('SIDECAR_PORT', 9090, 1, 65535), app: reader.int('APP_PORT', 8080, 1, 65535) };
}

/**
 * How long a container may take to stop after SIGTERM. Keep it below the Pod's
 * terminationGracePeriodSeconds minus its preStop sleep: past the grace period
 * the kubelet sends SIGKILL.
 */
export function readShutdownTimeout(reader: EnvReader): number {
  return reader.int('SHUTDOWN_TIMEOUT_MS', 20_000, 1000, 600_000);
}
