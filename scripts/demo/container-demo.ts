// The frame both Pods without Kubernetes share (`npm run demo:compose`,
// `npm run demo:podman`): their options, preflight, build and up, the demo's
// own steps (scripts/demo/claims/) where they can run, the runtime's own
// steps before and after them, the clean-up and the report.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { positiveWholeNumber } from '../lib/cli.js';
import { saveReport } from '../lib/report-files.js';
import { Aborted, Report, reportOutput, type Progress, type RunNotes } from '../lib/report.js';
import { runFolder } from '../lib/run-folder.js';
import { ExitCode } from '../../apps/shared/exit-codes.js';
import { assertCheck } from '../lib/check-failed.js';
import { judgeClash } from './claims/clash/judge.js';
import type { DemoContext, PodTarget } from './context.js';
import type { NamespaceExpectation } from './judges/namespaces.js';
import { runSteps } from './runner.js';
import { STEPS } from './claims/index.js';

/** A step of the runtime's own; `stops`: it stops the Pod, so --keep skips it. */
export interface RuntimeStep {
  title: string;
  run: () => Promise<string>;
  stops?: boolean;
}

/** One runtime's Pod, from a bare machine to the context the shared steps run in. */
export interface RuntimePod {
  titles: { preflight: string; build: string; up: string };
  preflight(progress: Progress): Promise<string>;
  build(progress: Progress): Promise<string>;
  up(progress: Progress): Promise<string>;
  context(messages: number): Promise<DemoContext>;
  /** Its own steps after `up` and before the shared ones, and after them. */
  before: RuntimeStep[];
  after: RuntimeStep[];
  /** Logs when something failed; then takes the Pod down unless --keep. */
  cleanUp(passed: boolean): Promise<void>;
}

/** The context the shared steps run in, for a Pod without Kubernetes. */
export function runtimeContext(
  target: PodTarget,
  expectedNamespaces: NamespaceExpectation,
  messages: number,
  notes: RunNotes,
): DemoContext {
  return {
    messages,
    expectedNamespaces,
    target: async () => target,
    fact: (name, value) => notes.fact(name, value),
    measured: (seen) => notes.measured(seen),
    lifecycle: (label, lines, until) => notes.lifecycle(label, lines, until),
    k8s: null,
  };
}

/** A Pod that can start a third container on the app's port. */
export interface ClashingPod {
  runClash(): Promise<{ exitCode: number | null; output: string }>;
  isRunning(container: string): Promise<boolean>;
}

/** The clash step: the third container fails with exit 98, and these containers of the Pod keep running. */
export async function checkClash(pod: ClashingPod, containers: readonly string[]): Promise<string> {
  const clash = await pod.runClash();
  const problems = judgeClash({ ...clash, port: 8080 }, ExitCode.portInUse);
  for (const container of containers) if (!(await pod.isRunning(container))) problems.push(`${container} stopped during the clash`);
  assertCheck('clash', problems);
  return `exit ${clash.exitCode}: "address already in use"`;
}

/** The options every such demo takes; `extra` adds the runtime's own. */
export const COMMON_OPTIONS = {
  keep: { type: 'boolean', default: false },
  'no-setup': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  html: { type: 'string' },
  messages: { type: 'string', default: '200' },
  help: { type: 'boolean', default: false },
} satisfies ParseArgsOptionsConfig;

export interface CommonValues {
  keep: boolean;
  'no-setup': boolean;
  json: boolean;
  html?: string;
  messages: string;
}

export interface ContainerDemo<Values extends CommonValues> {
  /** Its name in errors: "demo:compose". */
  name: string;
  usage: string;
  title: string;
  /** artifacts/<label>-<time>/ */
  label: string;
  extra: ParseArgsOptionsConfig;
  /** Throws on an option it cannot take, before anything is printed or set up. */
  check?(values: Values): void;
  pod(values: Values, report: RunNotes, folder: string): RuntimePod;
}

async function main<Values extends CommonValues>(demo: ContainerDemo<Values>): Promise<number> {
  const { values } = parseArgs({ options: { ...COMMON_OPTIONS, ...demo.extra } });
  if (values.help) {
    console.log(demo.usage);
    return 0;
  }
  const typed = values as unknown as Values;
  const messages = positiveWholeNumber('--messages', typed.messages, demo.usage);
  demo.check?.(typed);
  const report = new Report(demo.title, reportOutput(typed.json));
  const folder = runFolder(demo.label);
  const pod = demo.pod(typed, report, folder);
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= pod.cleanUp(report.passed));
  process.once('SIGINT', () => {
    report.say('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  const ownSteps = async (steps: RuntimeStep[]) => {
    for (const step of steps) {
      if (step.stops && typed.keep) report.fact(`${step.title.split(':')[0]} skipped`, '--keep leaves the Pod running');
      else await report.step(step.title, () => step.run());
    }
  };
  try {
    await report.step(pod.titles.preflight, (progress) => pod.preflight(progress), { required: true });
    await report.step(pod.titles.build, (progress) => pod.build(progress), { required: true });
    await report.step(pod.titles.up, (progress) => pod.up(progress), { required: true });
    await ownSteps(pod.before);
    const context = await pod.context(messages);
    await runSteps(report, () => context, STEPS);
    // Last: the steps that stop the Pod, which --keep leaves running.
    await ownSteps(pod.after);
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  saveReport(report, { folder, html: typed.html });
  if (typed.json) console.log(JSON.stringify(report.toJSON(), null, 2));
  return report.passed ? 0 : 1;
}

/** Runs the demo and exits: 0 passed, 1 a step failed, 2 the demo itself could not run. */
export function runContainerDemo<Values extends CommonValues>(demo: ContainerDemo<Values>): void {
  main(demo).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${demo.name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
