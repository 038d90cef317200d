// What one run of an exec probe costs: the sidecar's health entrypoint, as the
// kubelet runs it in the sidecar's container, beside a probe CLI that loads
// what the services load.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, PROJECT_ROOT } from '../lib/project.js';
import { finished, type Holder } from '../bench/pod.js';

/** Peak RSS (KiB), CPU seconds and wall seconds of one run of a command, from getrusage(RUSAGE_CHILDREN). */
const MEASURE = `import resource, subprocess, sys, time
t = time.time(); code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_maxrss, r.ru_utime + r.ru_stime, time.time() - t, code)`;

export interface ProbeCost {
  peakRssKiB: number;
  cpuSeconds: number;
  wallSeconds: number;
  exitCode: number;
}

async function probeCost(holder: Holder, argv: string[]): Promise<ProbeCost> {
  // Debian's python3: a python3 found on root's PATH may live below /root, out of the service UID's reach.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out = await finished(holder.run([python, '-c', MEASURE, ...argv], { SIDECAR_PORT: '9090' }), 30_000);
  const [rss, cpu, wall, code] = out.stdout.trim().split(' ').map(Number);
  if (out.code !== 0 || code === undefined)
    throw new Error(`measuring ${argv.join(' ')} failed (${out.code ?? out.signal}): ${out.stderr.trim()}`);
  return { peakRssKiB: rss!, cpuSeconds: cpu!, wallSeconds: wall!, exitCode: code };
}

/** The sidecar's exec health probe, once. */
export const healthProbeCost = (holder: Holder) => probeCost(holder, ['/bin/bash', join(PROJECT_ROOT, 'apps/health/health.sh'), 'sidecar']);

/** What an exec probe costs at rest: the health entrypoint, and the probe CLI beside it. */
export interface ProbesAtRest {
  health: ProbeCost;
  /** The probe CLI asking the sidecar's /healthz: a probe that loads what the services load. */
  probeCli: ProbeCost;
}

export async function probesAtRest(holder: Holder, log: (line: string) => void): Promise<ProbesAtRest> {
  const health = await healthProbeCost(holder);
  const probeCli = await probeCost(holder, [
    process.execPath,
    join(DIST, 'apps/probe/main.js'),
    'http',
    'GET',
    'http://127.0.0.1:9090/healthz',
  ]);
  log(
    `exec probe: health entrypoint ${health.peakRssKiB} KiB, ${health.cpuSeconds.toFixed(2)} CPU-s; probe CLI ${probeCli.peakRssKiB} KiB, ${probeCli.cpuSeconds.toFixed(2)} CPU-s`,
  );
  return { health, probeCli };
}
