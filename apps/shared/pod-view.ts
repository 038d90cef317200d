// What the app tells its live page (GET /api/state, GET /messages/:id), as
// types and constants that import nothing: the page's script, which runs in
// a browser and is checked with the DOM and no Node types, uses them, and so
// do the services that fill them.

// Every kind in /proc/self/ns. The first five are the Pod's design (shared or
// per container); the others depend on the node: cgroup is per container on
// cgroup v2 nodes and the node's on cgroup v1 ones, user is the node's unless
// `hostUsers: false`, time is the node's (Kubernetes never makes one).
export const NAMESPACE_KINDS = ['net', 'ipc', 'uts', 'pid', 'mnt', 'cgroup', 'user', 'time'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];
export type NamespaceIds = Record<NamespaceKind, string>;
export type Sharing = 'shared' | 'separate';

export type PodNamespaces =
  | {
      ok: true;
      app: { pid: number; namespaces: NamespaceIds };
      sidecar: { namespaces: NamespaceIds };
      verdict: Record<NamespaceKind, Sharing>;
    }
  | { ok: false; app: { pid: number; namespaces: NamespaceIds }; error: string; sidecar?: unknown };

export interface RoundTrip {
  /** When the reply came back (ms since the epoch). */
  at: number;
  ms: number;
}

export interface CorruptRecord {
  /** Byte offset of the line in the journal file. */
  offset: number;
  /** Why it was not read, and its first bytes. */
  reason: string;
}

export interface QueueState {
  name: string;
  /** null when the queue cannot be read (closed while stopping). */
  depth: number | null;
  capacity: number;
}

/** `taken`: a sidecar took it and has not answered yet; `queued`: in the request queue, or waiting for room in it. */
export type MessageState = 'queued' | 'taken' | 'processed' | 'failed';

/** A message in this state will not change again (but a late reply can still turn failed into processed). */
export const isSettled = (state: string): boolean => state === 'processed' || state === 'failed';

export interface PodState {
  pod: string;
  at: string;
  /** False once the app is stopping: it refuses new messages. */
  accepting: boolean;
  /** Not ok (with the error) when the sidecar does not answer GET /ns over 127.0.0.1. */
  namespaces: PodNamespaces;
  queues: { requests: QueueState; replies: QueueState };
  counters: {
    accepted: number;
    rejected: Record<string, number>;
    processed: number;
    redelivered: number;
    /** Quarantined messages (state `failed`). */
    failed: number;
    lateReplies: number;
    inFlight: number;
  };
  /** The last quarantined messages, newest first: each kills every sidecar that takes it. */
  quarantined: Array<{ id: string; reason: string }>;
  /** Unhealthy while writes fail (new messages are refused); corrupt: lines replay could not read. */
  journal: { healthy: boolean; error: string | null; bytes: number; corruptRecords: number; firstCorrupt: CorruptRecord[] };
  roundTrips: RoundTrip[];
  /** The size of the Pod's lifecycle record, which grows with each line (null: the Pod has none): the page draws it again when it changed. */
  lifecycleBytes: number | null;
}
