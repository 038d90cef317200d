// The demo's claims in the order it checks them, one folder each
// (scripts/demo/claims/<slug>/: the step, its judge and the judge's tests).
// The id each gets here is its name in the report and its letter for --only;
// the usage text, the --overlay names and the tests' lists are read from here.
import type { Claim, Step } from '../context.js';
import { step as clash } from './clash/step.js';
import { step as crash } from './crash/step.js';
import { step as ephemeralContainer } from './ephemeral-container/step.js';
import { step as initContainer } from './init-container/step.js';
import { step as isolation } from './isolation/step.js';
import { step as livePage } from './live-page/step.js';
import { step as loopback } from './loopback/step.js';
import { step as namespaces } from './namespaces/step.js';
import { step as nativeSidecar } from './native-sidecar/step.js';
import { step as networkPlugin } from './network-plugin/step.js';
import { step as portForward } from './port-forward/step.js';
import { step as ports } from './ports/step.js';
import { step as queues } from './queues/step.js';
import { step as replicas } from './replicas/step.js';
import { step as resilience } from './resilience/step.js';
import { step as rollout } from './rollout/step.js';
import { step as sharedMemory } from './shared-memory/step.js';
import { step as sharedPid } from './shared-pid/step.js';
import { step as spread } from './spread/step.js';
import { step as sysvIpc } from './sysv-ipc/step.js';
import { step as unixSockets } from './unix-sockets/step.js';

const inOrder: Array<[id: string, claim: Claim]> = [
  // The containers share net, ipc and uts, and keep their own pid and mnt.
  ['5a', namespaces],
  // They talk over 127.0.0.1; the sidecar is on loopback only.
  ['5b', loopback],
  // POSIX queues carry the messages both ways, none lost or taken twice.
  ['5c', queues],
  // What they share is invisible from another Pod.
  ['5d', isolation],
  // The queue outlives a container: messages wait while the sidecar restarts.
  ['5e', resilience],
  // A native sidecar is serving before the app starts.
  ['5f', nativeSidecar],
  // Two containers on one port: the second fails, the Pod is never Ready.
  ['5g', clash],
  // SIGKILL under load loses nothing.
  ['5h', crash],
  // A rollout under load loses nothing: the old Pod drains.
  ['5i', rollout],
  // Replicas of one UID share one queue budget.
  ['5j', replicas],
  // System V IPC is shared too.
  ['5k', sysvIpc],
  // So is /dev/shm.
  ['5l', sharedMemory],
  // A port is taken per address; SO_REUSEPORT shares one.
  ['5m', ports],
  // Abstract Unix sockets go with the network namespace, path ones with a mount.
  ['5n', unixSockets],
  // The network plugin gives the Pod its interface; loopback needs none.
  ['5o', networkPlugin],
  // shareProcessNamespace: one pid namespace, pause as PID 1.
  ['5p', sharedPid],
  // Loopback is not access control: port-forward reaches it, RBAC guards it.
  ['5q', portForward],
  // A debug container joins the Pod, with --target the app's pids.
  ['5r', ephemeralContainer],
  // An init container runs first, in the Pod's namespaces.
  ['5s', initContainer],
  // The live page shows what GET /pod measures.
  ['5t', livePage],
  // Replicas spread over nodes, each Pod whole.
  ['5u', spread],
];

export const STEPS: readonly Step[] = inOrder.map(([id, claim]) => ({ id, ...claim }));

/** The overlays the steps deploy, in step order: what --overlay NAME=DIR may replace. */
export const OVERLAYS: ReadonlyMap<string, string> = new Map(
  STEPS.flatMap((step) => (step.overlay ? [[step.overlay, step.id] as const] : [])),
);
