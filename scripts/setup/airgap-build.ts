// Runs scripts/airgap/build.sh (kind, the Kubernetes binaries and the offline
// node image, for a machine that reaches no registry) and turns its output
// into a few lines a newcomer can follow: each phase with its elapsed time and
// about how long is left. Everything it prints goes to a log file.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CommandFailed, stream } from '../lib/commands.js';
import { PROJECT_ROOT } from '../lib/project.js';
import type { Progress } from '../lib/report.js';

export interface AirgapPhase {
  name: string;
  what: string;
  /** Seconds it takes from empty caches on 2 cores, rounded up (docs/airgap.md, "How long it takes"). */
  coldSeconds: number;
}

/** build.sh's phases, in its order. */
export const AIRGAP_PHASES: readonly AirgapPhase[] = [
  { name: 'kind', what: 'the kind CLI', coldSeconds: 45 },
  { name: 'pause', what: 'the pause program', coldSeconds: 5 },
  { name: 'crictl', what: 'crictl', coldSeconds: 70 },
  // Measured here: containerd 108 s (some of its modules cached by then), runc 38 s.
  { name: 'runtime', what: 'containerd and runc for the user-namespace node', coldSeconds: 180 },
  { name: 'kubernetes', what: 'Kubernetes binaries (kubelet, kubeadm, kubectl, control plane)', coldSeconds: 450 },
  { name: 'etcd', what: 'etcd', coldSeconds: 40 },
  { name: 'coredns', what: 'CoreDNS', coldSeconds: 150 },
  // Measured cold (modules from the proxy): 4 min 26 s; with them cached, 106 s.
  { name: 'netpol', what: 'the NetworkPolicy enforcer (kube-network-policies)', coldSeconds: 270 },
  { name: 'images', what: 'component images', coldSeconds: 55 },
  { name: 'base', what: 'the node base (debootstrap)', coldSeconds: 55 },
  { name: 'node', what: 'the node image', coldSeconds: 25 },
  { name: 'userns', what: 'the user-namespace node image', coldSeconds: 10 },
];

/** Seconds left when `running` (one of `phases`) has run for `elapsed` s: its rest (at least a tenth of it) and every later phase. */
export function secondsLeft(phases: readonly AirgapPhase[], running: string, elapsed: number): number {
  const at = phases.findIndex((phase) => phase.name === running);
  if (at < 0) return 0;
  const current = phases[at]!.coldSeconds;
  const rest = Math.max(current - elapsed, current / 10);
  return Math.round(rest + phases.slice(at + 1).reduce((sum, phase) => sum + phase.coldSeconds, 0));
}

export function minutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** Where the build's whole output goes. */
export const AIRGAP_LOG = join(PROJECT_ROOT, 'artifacts', 'setup', 'airgap-build.log');

/** How often a long phase says it is still going. */
const TICK_MS = 30_000;
/** A phase done sooner found its output cached. */
const CACHED_MS = 3_000;

/** Runs build.sh for these phases (all when none), with Go at `go`; progress says phase n/N, time in it and about how long is left. */
export async function airgapBuild(names: string[], go: string, progress: Progress): Promise<void> {
  const phases = names.length ? AIRGAP_PHASES.filter((phase) => names.includes(phase.name)) : AIRGAP_PHASES;
  mkdirSync(dirname(AIRGAP_LOG), { recursive: true });
  const log = createWriteStream(AIRGAP_LOG);
  let running: { phase: AirgapPhase; since: number } | null = null;
  /** Phases done within seconds: their output was cached (or, like pause, is tiny). */
  let cached = 0;
  const label = (phase: AirgapPhase) => `phase ${phases.indexOf(phase) + 1}/${phases.length}, ${phase.what}`;
  let said = 0;
  const status = () => {
    // The 30 s tick and a phase's first word may come together: one line is enough.
    if (!running || Date.now() - said < CACHED_MS) return;
    said = Date.now();
    const elapsed = (Date.now() - running.since) / 1000;
    progress(`${label(running.phase)}: ${minutes(elapsed)} in, about ${minutes(secondsLeft(phases, running.phase.name, elapsed))} left`);
  };
  const ticker = setInterval(status, TICK_MS);
  try {
    await stream(
      ['bash', join(PROJECT_ROOT, 'scripts/airgap/build.sh'), ...names],
      (line) => {
        log.write(`${line}\n`);
        const started = / phase (\S+): start$/.exec(line);
        const done = / phase (\S+): done in ([\d.]+)s$/.exec(line);
        const phase = phases.find((candidate) => candidate.name === (started ?? done)?.[1]);
        if (!phase) return;
        if (started) {
          const current = { phase, since: Date.now() };
          running = current;
          // A phase whose output is cached is over within a second or two: say nothing about it.
          setTimeout(() => running === current && status(), CACHED_MS).unref();
        } else if (done) {
          running = null;
          const seconds = Number(done[2]);
          if (seconds * 1000 < CACHED_MS) cached += 1;
          else progress(`${label(phase)}: done in ${minutes(seconds)}`);
        }
      },
      { GO_BIN: go },
    );
  } catch (error) {
    throw new CommandFailed(`${(error as Error).message}\n(the whole output: ${AIRGAP_LOG})`);
  } finally {
    clearInterval(ticker);
    log.end();
  }
  if (cached === phases.length) progress(`all ${phases.length} phases came from the cache`);
}
