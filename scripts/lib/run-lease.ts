// One run at a time in the namespace podmates. A second `npm run demo` (or
// `npm run bench` on kind) on the same cluster would clear the namespace
// under the first, whose steps then fail in ways that name neither run. So a
// run holds a Lease there, made with `kubectl create`, which the API server
// refuses when one exists: the second run stops at once and says who holds
// it. A run that died without letting go (SIGKILL, a closed laptop) leaves
// its Lease; one from this machine whose process is gone is taken over.
import { hostname } from 'node:os';
import { CommandFailed } from './commands.js';
import { NAMESPACE, type Kube } from './kube.js';
import type { Progress } from './report.js';

export const LEASE = 'podmates-run';

/** Who holds the namespace: the command, the machine and the process. */
export interface Holder {
  command: string;
  host: string;
  pid: number;
  since: string;
}

const HOLDER_ANNOTATIONS = { command: 'podmates.dev/command', host: 'podmates.dev/host', pid: 'podmates.dev/pid' } as const;

/** The fields of a Lease this file writes or reads. */
export interface LeaseObject {
  apiVersion?: string;
  kind?: string;
  metadata: { name?: string; namespace?: string; resourceVersion?: string; annotations?: Record<string, string> };
  spec?: { holderIdentity?: string; acquireTime?: string };
}

export function leaseFor(holder: Holder): LeaseObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: LEASE,
      namespace: NAMESPACE,
      annotations: {
        [HOLDER_ANNOTATIONS.command]: holder.command,
        [HOLDER_ANNOTATIONS.host]: holder.host,
        [HOLDER_ANNOTATIONS.pid]: String(holder.pid),
      },
    },
    spec: { holderIdentity: describe(holder), acquireTime: holder.since },
  };
}

export function holderOf(lease: LeaseObject): Holder {
  const annotations = lease.metadata.annotations ?? {};
  return {
    command: annotations[HOLDER_ANNOTATIONS.command] ?? 'an unknown command',
    host: annotations[HOLDER_ANNOTATIONS.host] ?? 'an unknown machine',
    pid: Number(annotations[HOLDER_ANNOTATIONS.pid] ?? NaN),
    since: lease.spec?.acquireTime ?? 'an unknown time',
  };
}

function describe(holder: Holder): string {
  return `${holder.command} on ${holder.host}, pid ${holder.pid}`;
}

/** Whether process `pid` of this machine runs (EPERM: it does, as another user). */
export function processRuns(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A Lease left by a run that has gone: from this machine, its process no longer running. */
export function abandoned(holder: Holder, here: string, runs: (pid: number) => boolean): boolean {
  return holder.host === here && !runs(holder.pid);
}

/**
 * Takes the namespace's Lease for `command`, or throws saying who holds it.
 * Returns how to let it go (at the end of the run, kept namespace or not).
 */
export async function holdNamespace(kube: Kube, command: string, progress: Progress): Promise<() => Promise<void>> {
  // acquireTime is a MicroTime: six digits of fraction.
  const me: Holder = { command, host: hostname(), pid: process.pid, since: new Date().toISOString().replace('Z', '000Z') };
  const lease = leaseFor(me);
  const created = await kube.kubectl(['create', '-f', '-'], { input: JSON.stringify(lease), allowFailure: true });
  if (created.exitCode !== 0) {
    if (!/AlreadyExists/.test(created.stderr)) throw new CommandFailed(`kubectl create lease ${LEASE}: ${created.stderr.trim()}`);
    const found = JSON.parse((await kube.inNamespace(['get', 'lease', LEASE, '-o', 'json'])).stdout) as LeaseObject;
    const holder = holderOf(found);
    if (!abandoned(holder, me.host, processRuns)) {
      throw new CommandFailed(
        `another run is using namespace ${NAMESPACE} on ${kube.context}: ${describe(holder)}, since ${holder.since} ` +
          `(Lease ${LEASE}). Wait for it to end; if it is gone (on another machine), delete its lease: ` +
          `kubectl -n ${NAMESPACE} delete lease ${LEASE}`,
      );
    }
    progress(`taking over Lease ${LEASE} from a run that has gone: ${describe(holder)}, since ${holder.since}`);
    // Replaced at the version read: if another run took it meanwhile, the API server refuses (Conflict).
    const takeover = { ...lease, metadata: { ...lease.metadata, resourceVersion: found.metadata.resourceVersion } };
    await kube.kubectl(['replace', '-f', '-'], { input: JSON.stringify(takeover) });
  }
  return async () => {
    await kube.inNamespace(['delete', 'lease', LEASE, '--ignore-not-found'], { allowFailure: true });
  };
}
