// The demo's claims in the order it checks them, one folder each
// (scripts/demo/claims/<slug>/: the step, its judge and the judge's tests).
// The id each gets here is its name in the report and its letter for --only,
// the folder where it lives; the usage text, the --overlay names, the
// by-hand page and the tests' lists are read from here.
import type { Claim, Step } from '../context.js';
import { step as clash } from './clash/step.js';
import { step as crash } from './crash/step.js';
import { step as ephemeralContainer } from './ephemeral-container/step.js';
import { step as initContainer } from './init-container/step.js';
import { step as isolation } from './isolation/step.js';
import { step as job } from './job/step.js';
import { step as livePage } from './live-page/step.js';
import { step as loopback } from './loopback/step.js';
import { step as namespaces } from './namespaces/step.js';
import { step as nativeSidecar } from './native-sidecar/step.js';
import { step as networkPlugin } from './network-plugin/step.js';
import { step as networkPolicy } from './network-policy/step.js';
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
import { step as userNamespace } from './user-namespace/step.js';

const inOrder: Array<[id: string, folder: string, claim: Claim]> = [
  // The containers share net, ipc and uts, and keep their own pid and mnt.
  ['5a', 'namespaces', namespaces],
  // They talk over 127.0.0.1; the sidecar is on loopback only.
  ['5b', 'loopback', loopback],
  // POSIX queues carry the messages both ways, none lost or taken twice.
  ['5c', 'queues', queues],
  // What they share is invisible from another Pod.
  ['5d', 'isolation', isolation],
  // The queue outlives a container: messages wait while the sidecar restarts.
  ['5e', 'resilience', resilience],
  // A native sidecar is serving before the app starts.
  ['5f', 'native-sidecar', nativeSidecar],
  // Two containers on one port: the second fails, the Pod is never Ready.
  ['5g', 'clash', clash],
  // SIGKILL under load loses nothing.
  ['5h', 'crash', crash],
  // A rollout under load loses nothing: the old Pod drains.
  ['5i', 'rollout', rollout],
  // Replicas of one UID share one queue budget.
  ['5j', 'replicas', replicas],
  // System V IPC is shared too.
  ['5k', 'sysv-ipc', sysvIpc],
  // So is /dev/shm.
  ['5l', 'shared-memory', sharedMemory],
  // A port is taken per address; SO_REUSEPORT shares one.
  ['5m', 'ports', ports],
  // Abstract Unix sockets go with the network namespace, path ones with a mount.
  ['5n', 'unix-sockets', unixSockets],
  // The network plugin gives the Pod its interface; loopback needs none.
  ['5o', 'network-plugin', networkPlugin],
  // shareProcessNamespace: one pid namespace, pause as PID 1.
  ['5p', 'shared-pid', sharedPid],
  // Loopback is not access control: port-forward reaches it, RBAC guards it.
  ['5q', 'port-forward', portForward],
  // A debug container joins the Pod, with --target the app's pids.
  ['5r', 'ephemeral-container', ephemeralContainer],
  // An init container runs first, in the Pod's namespaces.
  ['5s', 'init-container', initContainer],
  // The live page shows what GET /pod measures.
  ['5t', 'live-page', livePage],
  // Replicas spread over nodes, each Pod whole.
  ['5u', 'spread', spread],
  // A Job completes when its native sidecars are stopped for it, never with regular ones.
  ['5v', 'job', job],
  // A NetworkPolicy enforced, and the loopback it cannot reach.
  ['5w', 'network-policy', networkPolicy],
  // hostUsers: false: a user namespace of the Pod's own (npm run demo:userns).
  ['5x', 'user-namespace', userNamespace],
];

export const STEPS: readonly Step[] = inOrder.map(([id, folder, claim]) => ({ id, folder, ...claim }));

/** The overlays the steps deploy, in step order: what --overlay NAME=DIR may replace. */
export const OVERLAYS: ReadonlyMap<string, string> = new Map(
  STEPS.flatMap((step) => (step.overlay ? [[step.overlay, step.id] as const] : [])),
);

/**
 * What `npm run demo:userns` runs on its user-namespaced Pod: what the
 * containers share (5a-5d, 5k-5o, the live page 5t), what survives a
 * container's restart, SIGKILL and a rollout (5e, 5h, 5i: their Deployments
 * are the base's), the queue budget of such Pods (5j) and the user namespace
 * itself (5x). The others deploy overlays of the plain base.
 */
export const USERNS_STEPS = ['a', 'b', 'c', 'd', 'e', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 't', 'x'];
