// The Pod's lifecycle record: every container appends one line to a file on
// the Pod's shared volume when it starts, is ready, gets SIGTERM, has drained,
// has stopped and exits, each with its time in milliseconds. One file for the
// whole Pod, kept across container restarts (the volume lives as long as the
// Pod): merged, the lines say who started and stopped before whom. Kubernetes'
// own node tests for sidecars prove their ordering the same way.
import { appendFileSync, readFileSync, statSync } from 'node:fs';

/** Where the manifests (LIFECYCLE_FILE in the ConfigMap) and the compose file put the record. */
export const LIFECYCLE_RECORD = '/shared/lifecycle.jsonl';

/**
 * The log events that are also lifecycle events, in the order a container's
 * life has them. `starting` is dated when the process was exec'd (before
 * Node loaded any code); `first_health_check` is the first GET /healthz it
 * answered, the kubelet's startup probe when there is one.
 */
export const LIFECYCLE_EVENTS = ['starting', 'first_health_check', 'ready', 'stopping', 'drained', 'stopped', 'exiting'] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export interface LifecycleLine {
  ts: string;
  container: string;
  event: LifecycleEvent;
  pid: number;
  /** The exit code, on `exiting`. */
  code?: number;
}

export const isLifecycleEvent = (event: string): event is LifecycleEvent => (LIFECYCLE_EVENTS as readonly string[]).includes(event);

/** Appends a line for a lifecycle event, at the same time its log line says. */
export type LifecycleRecord = (event: LifecycleEvent, ts: string, code?: number) => void;

/**
 * The record of one container, or nothing when `file` is unset (outside a
 * Pod that mounts the volume). One write(2) per line with O_APPEND: lines of
 * the two containers interleave whole. A failed write (a full disk, no
 * volume) is said once on stderr and ends the record: it never stops the
 * container.
 */
export function lifecycleRecord(container: string, file: string | undefined): LifecycleRecord {
  let broken = file === undefined || file === '';
  return (event, ts, code) => {
    if (broken) return;
    const line: LifecycleLine = { ts, container, event, pid: process.pid, ...(code === undefined ? {} : { code }) };
    try {
      appendFileSync(file!, `${JSON.stringify(line)}\n`);
    } catch (error) {
      broken = true;
      process.stderr.write(
        `${JSON.stringify({ ts, level: 'warn', service: container, event: 'lifecycle_record_failed', file, message: String(error) })}\n`,
      );
    }
  };
}

/**
 * The lines of a record, or of a container's log (the same events, a
 * `starting` line dated by its processStartedAt), the others skipped.
 */
export function parseLifecycle(text: string, container?: string): LifecycleLine[] {
  const lines: LifecycleLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      continue; // a line cut short by a full disk or a SIGKILL
    }
    const { event, pid, code, processStartedAt } = parsed;
    const ts = event === 'starting' && typeof processStartedAt === 'string' ? processStartedAt : parsed.ts;
    const name = container ?? parsed.container;
    if (typeof ts !== 'string' || typeof event !== 'string' || !isLifecycleEvent(event) || typeof name !== 'string') continue;
    lines.push({ ts, container: name, event, pid: typeof pid === 'number' ? pid : 0, ...(typeof code === 'number' ? { code } : {}) });
  }
  return lines;
}

/** Records and logs read together: each line once (a record's and a log's copy of it agree on container, event and time), by time. */
export function mergeLifecycle(...sources: LifecycleLine[][]): LifecycleLine[] {
  const byKey = new Map<string, LifecycleLine>();
  for (const line of sources.flat()) {
    const key = `${line.container} ${line.event} ${line.ts}`;
    // The record's copy carries the pid every line has.
    if (!byKey.has(key) || byKey.get(key)!.pid === 0) byKey.set(key, line);
  }
  return [...byKey.values()].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}

/** The lines of several containers' logs, by container name, read together. */
export function lifecycleOfLogs(logs: Record<string, string>): LifecycleLine[] {
  return mergeLifecycle(...Object.entries(logs).map(([container, log]) => parseLifecycle(log, container)));
}

/** When a container first had this event, in ms, if it did. */
export function firstAt(lines: LifecycleLine[], container: string, event: LifecycleEvent): number | undefined {
  const line = lines.find((l) => l.container === container && l.event === event);
  return line === undefined ? undefined : Date.parse(line.ts);
}

/** The record in `file`: none yet (no container wrote it) is an empty record. */
export function readLifecycle(file: string): LifecycleLine[] {
  try {
    return parseLifecycle(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Its size, which grows with each line: a reader draws it again when it changed. */
export function lifecycleBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
