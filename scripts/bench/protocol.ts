// What the bench's orchestrator (scripts/bench.ts) and its processes inside the
// namespaces (client.ts, peer.ts) tell each other: plans in argv, results as JSON.

/** What one client measures, for each payload size in turn. */
export interface RunPlan {
  payloads: number[];
  /** Round trips (one in flight, then windowed) run and thrown away before measuring. */
  warmup: number;
  /** Round trips with one message in flight. */
  latencyCount: number;
  /** Messages sent with `window` in flight. */
  throughputCount: number;
  window: number;
  /** Wall-clock budget for the whole client; a phase that runs out stops early and says so. */
  budgetMs: number;
}

export interface PayloadResult {
  payload: number;
  latencyNs: number[];
  throughput: { messages: number; seconds: number };
  /** True when the budget ran out before the planned counts. */
  truncated: boolean;
}

export interface ClientResult {
  results: PayloadResult[];
  /** Peak resident set (VmHWM) of the measuring process, KiB. */
  clientPeakRssKiB: number;
}

/** Where the peers listen inside the shared network namespace (loopback only). */
export const ENDPOINTS = {
  httpPort: 9101,
  tcpPort: 9102,
  redisPort: 6379,
  /** An abstract Unix socket: it belongs to the network namespace, so the Pod's containers share it without a volume. */
  unixPath: '\0podmates-bench',
  /** A Unix socket on a path is a file: in a Pod it needs a volume both containers mount; the harness passes a folder of its emptyDir stand-in. */
  unixFile: 'BENCH_UNIX_SOCKET',
  mqRequest: '/podmates.bench.requests',
  mqReply: '/podmates.bench.replies',
  rawRequest: '/podmates.bench.raw.requests',
  rawReply: '/podmates.bench.raw.replies',
  limitPrefix: '/podmates.bench.limit',
  busyPrefix: '/podmates.bench.busy',
} as const;

/** The project's queue attributes: the unprivileged kernel limits (README, Configuration). */
export const QUEUE_SPEC = { maxMessages: 10, messageSize: 8192 } as const;

/** The payload bytes every channel carries: printable, so the JSON paths need no escaping. */
export function makePayload(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = 97 + (i % 26);
  return bytes;
}
