// The demo on a real kind cluster of the tests' own, run as a user runs it:
// the air-gapped kind and node image when built, else kind from PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { PREAMBLE } from '../../scripts/demo/by-hand.js';
import { airgapPins, kindKubeconfig } from '../../scripts/lib/kind.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { StepResult } from '../../scripts/lib/report.js';

const airgap = airgapPins();
export const airgapReady =
  existsSync(airgap.kind) && execaSync('docker', ['image', 'inspect', airgap.nodeImage], { reject: false }).exitCode === 0;
export const KIND = airgapReady ? airgap.kind : execaSync('sh', ['-c', 'command -v kind'], { reject: false }).stdout.trim() || null;
export const kindBlocker = KIND
  ? null
  : 'needs kind: `go install sigs.k8s.io/kind@v0.30.0`, or `bash scripts/airgap/build.sh` for kind and an offline node image';

export interface DemoRun {
  exitCode: number;
  steps: StepResult[];
  facts: Record<string, unknown>;
}

/** `npm run demo` with these arguments (and environment), with its JSON report. */
export async function demo(args: string[], env: Record<string, string> = {}): Promise<DemoRun> {
  const result = await execa(process.execPath, [join(PROJECT_ROOT, 'dist/scripts/demo.js'), '--json', '--messages', '20', ...args], {
    reject: false,
    env,
  });
  // With --json, stdout is the JSON report alone.
  if (!result.stdout.startsWith('{'))
    throw new Error(`the demo printed no JSON report (exit ${result.exitCode}): ${result.stderr.slice(-2000)}`);
  const report = JSON.parse(result.stdout) as { steps: StepResult[]; facts: Record<string, unknown> };
  return { exitCode: result.exitCode ?? -1, steps: report.steps, facts: report.facts };
}

/** `npm run demo` on the kind cluster `cluster`, kept for the next call unless `keep` is false. */
export function demoOn(cluster: string, args: string[], keep = true): Promise<DemoRun> {
  return demo(['--name', cluster, ...(keep ? ['--keep'] : []), ...args]);
}

export async function deleteCluster(cluster: string): Promise<void> {
  await execa(KIND!, ['delete', 'cluster', '--name', cluster, '--kubeconfig', kindKubeconfig(cluster)], { reject: false });
}

/** One command of docs/by-hand.md as a reader runs it: bash, from the project's root, after the page's preamble, on the kept cluster. */
export async function typeByHand(
  cluster: string,
  command: string,
): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const result = await execa('bash', ['-c', `${PREAMBLE}\n${command}`], {
    cwd: PROJECT_ROOT,
    env: { KUBECONFIG: kindKubeconfig(cluster) },
    stdin: 'ignore',
    reject: false,
    timeout: 300_000,
  });
  return { exitCode: result.exitCode, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}
