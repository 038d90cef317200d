// The demo on a real kind cluster of the tests' own, run as a user runs it:
// the air-gapped kind and node image when built, else kind from PATH.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { airgapPins, kindKubeconfig } from '../../scripts/lib/kind.js';
import { Kube } from '../../scripts/lib/kube.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { StepResult } from '../../scripts/lib/report.js';

const airgap = airgapPins();
const airgapReady = existsSync(airgap.kind) && execaSync('docker', ['image', 'inspect', airgap.nodeImage], { reject: false }).exitCode === 0;
export const KIND = airgapReady ? airgap.kind : execaSync('sh', ['-c', 'command -v kind'], { reject: false }).stdout.trim() || null;
export const kindBlocker = KIND ? null : 'needs kind: `go install sigs.k8s.io/kind@v0.30.0`, or `bash scripts/airgap/build.sh` for kind and an offline node image';

/** `npm run demo` on `cluster`, kept for the next call unless `keep` is false, with its JSON report. */
export async function demoOn(cluster: string, args: string[], keep = true): Promise<{ exitCode: number; steps: StepResult[] }> {
  const result = await execa(process.execPath, [join(PROJECT_ROOT, 'dist/scripts/demo.js'), '--name', cluster, ...(keep ? ['--keep'] : []), '--json', '--messages', '20', ...args], { reject: false });
  // With --json, stdout is the JSON report alone.
  return { exitCode: result.exitCode ?? -1, steps: (JSON.parse(result.stdout) as { steps: StepResult[] }).steps };
}

/** kubectl for a cluster the demo made: its kubeconfig is a file of its own. */
export function kubeOf(cluster: string): Kube {
  return new Kube(`kind-${cluster}`, kindKubeconfig(cluster));
}

export async function deleteCluster(cluster: string): Promise<void> {
  await execa(KIND!, ['delete', 'cluster', '--name', cluster, '--kubeconfig', kindKubeconfig(cluster)], { reject: false });
}
