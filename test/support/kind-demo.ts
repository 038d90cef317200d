// The demo on a real kind cluster of the tests' own, run as a user runs it:
// the air-gapped kind and node image when built, else kind from PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { airgapPins } from '../../scripts/lib/kind.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { StepResult } from '../../scripts/lib/report.js';

const airgap = airgapPins();
const airgapReady = existsSync(airgap.kind) && execaSync('docker', ['image', 'inspect', airgap.nodeImage], { reject: false }).exitCode === 0;
export const KIND = airgapReady ? airgap.kind : execaSync('sh', ['-c', 'command -v kind'], { reject: false }).stdout.trim() || null;
export const kindBlocker = KIND ? null : 'needs kind: `go install sigs.k8s.io/kind@v0.30.0`, or `bash scripts/airgap/build.sh` for kind and an offline node image';

/** `npm run demo` on `cluster`, kept for the next call, with its JSON report. */
export async function demoOn(cluster: string, ...args: string[]): Promise<{ exitCode: number; steps: StepResult[] }> {
  const result = await execa(process.execPath, [join(PROJECT_ROOT, 'dist/scripts/demo.js'), '--name', cluster, '--keep', '--json', '--messages', '20', ...args], { reject: false });
  // With --json, stdout is the JSON report alone.
  return { exitCode: result.exitCode ?? -1, steps: (JSON.parse(result.stdout) as { steps: StepResult[] }).steps };
}

export async function deleteCluster(cluster: string): Promise<void> {
  await execa(KIND!, ['delete', 'cluster', '--name', cluster], { reject: false });
}
