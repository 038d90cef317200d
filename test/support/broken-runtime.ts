// The compose and Podman demos run with their Pod broken on purpose: the JSON
// report of such a run, and what a sidecar in an IPC namespace of its own
// must make the shared steps say.
import { join } from 'node:path';
import { execa } from 'execa';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import type { ReportJSON, StepResult } from '../../scripts/lib/report.js';

export interface BrokenRun {
  report: ReportJSON;
  stderr: string;
  step: (prefix: string) => StepResult | undefined;
}

/** `node dist/scripts/<script>.js --json --messages 5 <args>`, which must exit 1: its report and progress. */
export async function brokenRun(script: string, args: string[]): Promise<BrokenRun> {
  const result = await execa(process.execPath, [join(PROJECT_ROOT, `dist/scripts/${script}.js`), '--json', '--messages', '5', ...args], {
    reject: false,
  });
  expect(result.exitCode, result.stderr).toBe(1);
  // With --json, stdout is the JSON report alone; the run's progress went to stderr.
  const report = JSON.parse(result.stdout) as ReportJSON;
  return { report, stderr: result.stderr, step: (prefix) => report.steps.find((candidate) => candidate.name.startsWith(prefix)) };
}

/** The sidecar in an IPC namespace of its own: the namespace, queue, SysV and shared memory steps fail saying so; HTTP still passes. */
export function expectIpcNotShared(step: BrokenRun['step']): void {
  expect(step('5a. namespaces')).toMatchObject({
    status: 'failed',
    problems: [expect.stringMatching(/^ipc namespace is not shared: app is in ipc:\[\d+\], sidecar in ipc:\[\d+\]$/)],
  });
  expect(step('5c. queues')).toMatchObject({
    status: 'failed',
    problems: [expect.stringContaining('5 of 5 accepted messages never came back')],
  });
  expect(step('5k. System V IPC')).toMatchObject({
    status: 'failed',
    problems: [
      expect.stringMatching(
        /^the SysV message queue 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace: IPC is not shared between the containers$/,
      ),
      expect.stringMatching(/^the SysV semaphore set 0x[0-9a-f]{8} \(id \d+\) made in the sidecar is not in the app's IPC namespace/),
    ],
  });
  // A container with an IPC namespace of its own gets its own /dev/shm too.
  expect(step('5l. shared memory')).toMatchObject({
    status: 'failed',
    problems: [
      expect.stringMatching(
        /^\/dev\/shm\/podmates-\S+ written in the app cannot be read in the sidecar \(ENOENT\): they do not share the Pod's \/dev\/shm \(app on device \d+:\d+, sidecar on \d+:\d+\)$/,
      ),
    ],
  });
  expect(step('5b. HTTP')).toMatchObject({ status: 'passed' }); // the network namespace is still shared
}
