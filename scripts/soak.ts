// `npm run soak`: the real app and sidecar in a Pod made of real namespaces,
// each in a memory cgroup of its own as a container is, under the highest rate
// they sustain (clients keep 8 messages in flight) for 10 minutes. Memory is
// sampled every 5 s and drawn; the peaks are compared with the containers'
// memory limits in manifests/base. The sidecar's exec health probe is measured
// beside a probe that loads what the services load. This file reads the
// options and runs the phases, each a module of scripts/soak/.
import { setTimeout as sleep } from 'node:timers/promises';
import { benchBlocker, Holder } from './bench/pod.js';
import { DIST } from './lib/project.js';
import { runLoad } from './soak/load.js';
import { readOptions, USAGE } from './soak/options.js';
import { probesAtRest } from './soak/probe.js';
import { overLimit, soakReport, summaryLines, writeReport } from './soak/report.js';
import { serviceCgroups, startServices } from './soak/services.js';

async function main(): Promise<number> {
  // How long, how many in flight, and where the files go.
  const options = readOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  // Root and the tools, or why the soak cannot run here.
  const blocker = benchBlocker();
  if (blocker) throw new Error(`the soak cannot run here: ${blocker}`);
  // With --json, stdout is the report alone.
  const log = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const holder = await Holder.create(DIST);
  const cgroups = serviceCgroups();
  try {
    // The app and the sidecar as the Pod runs them, each in its memory cgroup.
    const services = await startServices(holder, cgroups);
    // What an exec probe costs before the load.
    const probes = await probesAtRest(holder, log);
    // The load for --minutes, memory sampled and the health probe measured under it.
    const load = await runLoad(holder, services, options, log);
    // The report while the services still run, its files, and its summary.
    const report = soakReport(options, services, probes, load);
    const written = writeReport(report, options.out);
    for (const line of summaryLines(report)) log(line);
    log(`artifacts: ${written.join(', ')}`);
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    // A service over its container's memory limit fails the soak.
    const over = overLimit(report);
    if (over.length > 0) log(`over the memory limit: ${over.join(', ')}`);
    return over.length > 0 ? 1 : 0;
  } finally {
    holder.dispose();
    // The services' exit, before their cgroups can be removed.
    await sleep(200);
    for (const cgroup of Object.values(cgroups)) cgroup?.remove();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
