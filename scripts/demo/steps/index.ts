// The demo's claims, in the order it checks them: one file each. Adding a
// step is adding a file here and a line below.
import type { Step } from '../context.js';
import { namespaces } from './5a-namespaces.js';
import { loopback } from './5b-loopback.js';
import { queues } from './5c-queues.js';
import { isolation } from './5d-isolation.js';
import { resilience } from './5e-resilience.js';
import { nativeSidecar } from './5f-native-sidecar.js';
import { clash } from './5g-clash.js';
import { crash } from './5h-crash.js';
import { rollout } from './5i-rollout.js';
import { replicas } from './5j-replicas.js';
import { sysvIpc } from './5k-sysv-ipc.js';
import { sharedMemory } from './5l-shared-memory.js';
import { ports } from './5m-ports.js';

export const STEPS: readonly Step[] = [namespaces, loopback, queues, isolation, resilience, nativeSidecar, clash, crash, rollout, replicas, sysvIpc, sharedMemory, ports];
