// `npm run bench`: the in-Pod channels measured side by side in one run, inside
// the same network and IPC namespaces, each as a multiple of a C ping-pong over
// POSIX queues with blocking receives (the limit), beside a busy-polling one
// (the floor). Every client runs on one CPU and every echo peer on another.
// This file reads the command line and runs the phases, scripts/bench/phases.ts;
// see scripts/bench/ and `npm run bench -- --help`.
import { parseArgs, selectedChannels, USAGE, type BenchArgs } from './bench/args.js';
import { buildLimit, log, measureEverywhere, printReport, reportOf, secondsSince, writeReport } from './bench/phases.js';
import { benchBlocker } from './bench/pod.js';
import { settingsFor } from './bench/settings.js';

/** Exit code when the bench cannot run here (sysexits EX_UNAVAILABLE, as the services' queue failures). */
const UNAVAILABLE = 69;

/** The arguments, or the exit code when there is nothing to run: --help, or an option refused. */
function commandLine(argv: string[]): BenchArgs | number {
  try {
    const args = parseArgs(argv);
    if (!args.help) return args;
    process.stdout.write(`${USAGE}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
}

async function main(): Promise<number> {
  // What to measure, and how much.
  const args = commandLine(process.argv.slice(2));
  if (typeof args === 'number') return args;
  const settings = settingsFor(args);
  // Root and the tools, or why the bench cannot run here.
  const blocker = benchBlocker();
  if (blocker) {
    log(`cannot run: ${blocker}`);
    return UNAVAILABLE;
  }
  const started = Date.now();
  // The C references, compiled for this run.
  buildLimit();
  // Every channel and the real services, in the box and in the Pods --target names.
  const measured = await measureEverywhere(args, selectedChannels(args), settings);
  // The report: medians over rounds, multiples of the limit, the targets.
  const report = reportOf(args, settings, measured);
  // Its files, then its table.
  const written = writeReport(report, measured.runs, args.outDir);
  printReport(report, args.json);
  log(`${secondsSince(started)}; wrote ${written.join(' and ')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
