// The real app and sidecar as the Pod runs them: in the holder's namespaces,
// with the ConfigMap's NODE_OPTIONS, each in a memory cgroup of its own as a
// container is (where cgroups can be made).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DIST } from '../lib/project.js';
import { statusKiB, waitForOutput, type Holder } from '../bench/pod.js';
import { MemoryCgroup } from './cgroup.js';
import { manifestNodeOptions } from './manifests.js';

const MIB = 1024 * 1024;

export type ServiceName = 'app' | 'sidecar';

/** Each service's memory cgroup, null where none can be made (not root, no memory controller). */
export type ServiceCgroups = Record<ServiceName, MemoryCgroup | null>;

/** A cgroup per service, named after this process so that two soaks never share one. */
export function serviceCgroups(): ServiceCgroups {
  return {
    app: MemoryCgroup.create(`podmates-soak-app-${process.pid}`),
    sidecar: MemoryCgroup.create(`podmates-soak-sidecar-${process.pid}`),
  };
}

/** A running service's memory: its resident set from /proc, and what the kernel charges its cgroup. */
export class SoakService {
  constructor(
    readonly child: ChildProcess,
    private readonly cgroup: MemoryCgroup | null,
  ) {}

  get rssMiB(): number {
    return (statusKiB(this.child.pid, 'VmRSS') ?? NaN) / 1024;
  }

  get peakRssMiB(): number {
    return (statusKiB(this.child.pid, 'VmHWM') ?? NaN) / 1024;
  }

  get cgroupMiB(): number | null {
    return this.cgroup ? this.cgroup.currentBytes / MIB : null;
  }

  get cgroupPeakMiB(): number | null {
    return this.cgroup ? this.cgroup.peakBytes / MIB : null;
  }
}

export type Services = Record<ServiceName, SoakService>;

/** The sidecar, then the app, each moved into its cgroup as soon as it is spawned; resolves once both say they are ready. */
export async function startServices(holder: Holder, cgroups: ServiceCgroups): Promise<Services> {
  const nodeOptions = manifestNodeOptions();
  const env = {
    APP_PORT: '8080',
    SIDECAR_PORT: '9090',
    STATE_DIR: holder.stateDir(),
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
  const start = (name: ServiceName) => {
    const child = holder.run([process.execPath, join(DIST, `apps/${name}/main.js`)], env);
    cgroups[name]?.join(child.pid!);
    return child;
  };
  const sidecar = start('sidecar');
  const app = start('app');
  await waitForOutput(sidecar, '"event":"ready"', 15_000, 'sidecar');
  await waitForOutput(app, '"event":"ready"', 15_000, 'app');
  for (const child of [app, sidecar]) child.stdout?.resume();
  return { app: new SoakService(app, cgroups.app), sidecar: new SoakService(sidecar, cgroups.sidecar) };
}
