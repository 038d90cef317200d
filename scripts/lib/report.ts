// A run of named steps, printed as they happen and summed up at the end; the
// same shape for the compose and kind demos, as text, JSON and JUnit XML.
import { CheckFailed } from './check-failed.js';
import { escapeMarkup } from '../../apps/shared/markup.js';
import type { MeasuredNamespaces } from './report-picture.js';
import type { LifecycleLine } from '../../apps/shared/lifecycle.js';

export interface StepResult {
  name: string;
  status: 'passed' | 'failed';
  /** When it started, from the start of the run: steps may run side by side. */
  startMs: number;
  ms: number;
  detail?: string;
  problems: string[];
}

/** Thrown by a required step that failed: the run stops and goes to clean-up. */
export class Aborted extends Error {}

export type Progress = (message: string) => void;

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Where the human report goes: stdout, or stderr when stdout is kept for JSON (--json), so `npm run -s demo -- --json | jq` works. */
export const reportOutput =
  (json: boolean) =>
  (text: string): void => {
    (json ? process.stderr : process.stdout).write(text);
  };

/** A step's part of the report: written through while it is the first unfinished step, held until then. */
interface Block {
  held: string[];
  live: boolean;
  result: StepResult | null;
}

export class Report {
  readonly steps: StepResult[] = [];
  readonly facts: Record<string, unknown> = {};
  /** What 5a measured of both containers' namespaces: the HTML report draws the Pod from it. */
  namespaces: MeasuredNamespaces | null = null;
  /** Pods' lifecycle records that steps read: the HTML report draws each as a timeline. */
  readonly lifecycles: { label: string; lines: LifecycleLine[]; until?: string }[] = [];
  private readonly started = Date.now();
  /** Steps begun and not yet written to the end, in the order they were begun. */
  private readonly blocks: Block[] = [];

  constructor(
    readonly title: string,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    this.write(`${title}\n\n`);
  }

  /**
   * Runs one step, once `startAfter` (if given) has settled; its time counts
   * from then. Its function may return a short detail line. A CheckFailed
   * lists its problems; any other error is one problem. A failed required
   * step throws Aborted after it has been recorded. Steps may run side by
   * side: each is written in the order they were begun, live while it is the
   * first unfinished one. `after`: lines written below its result (--explain).
   * `waiting`: a line below its name saying what it waits for before it starts.
   */
  async step(
    name: string,
    run: (progress: Progress) => Promise<string | void>,
    options: { required?: boolean; startAfter?: Promise<unknown>; waiting?: string; after?: string } = {},
  ): Promise<boolean> {
    const block: Block = { held: [], live: false, result: null };
    const out = (text: string) => (block.live ? this.write(text) : block.held.push(text));
    this.blocks.push(block);
    this.flush();
    out(`▶ ${name}\n`);
    if (options.waiting) out(`    … ${options.waiting}\n`);
    await options.startAfter;
    const started = Date.now();
    const progress: Progress = (message) => out(`    … ${message} (${seconds(Date.now() - started)})\n`);
    let result: StepResult;
    try {
      const detail = await run(progress);
      result = {
        name,
        status: 'passed',
        startMs: started - this.started,
        ms: Date.now() - started,
        problems: [],
        ...(detail ? { detail } : {}),
      };
    } catch (error) {
      const problems = error instanceof CheckFailed ? error.problems : [error instanceof Error ? error.message : String(error)];
      result = { name, status: 'failed', startMs: started - this.started, ms: Date.now() - started, problems };
    }
    const mark = result.status === 'passed' ? '✔ passed' : '✘ FAILED';
    out(`  ${mark} in ${seconds(result.ms)}${result.detail ? `: ${result.detail}` : ''}\n`);
    for (const problem of result.problems) out(`    - ${problem}\n`);
    if (options.after) out(`${options.after}\n`);
    block.result = result;
    this.flush();
    if (result.status === 'failed' && options.required) throw new Aborted(`${name} failed`);
    return result.status === 'passed';
  }

  /** Writes the first unfinished step's held lines and makes it live; records and drops the finished ones before it. */
  private flush(): void {
    for (let head = this.blocks[0]; head; head = this.blocks[0]) {
      if (!head.live) {
        head.live = true;
        for (const text of head.held.splice(0)) this.write(text);
      }
      if (!head.result) return;
      this.steps.push(head.result);
      this.blocks.shift();
    }
  }

  /** A line of its own, where the report goes (stdout, or stderr when stdout carries JSON). */
  say(line: string): void {
    this.write(`${line}\n`);
  }

  fact(name: string, value: unknown): void {
    this.facts[name] = value;
  }

  get passed(): boolean {
    return this.steps.length > 0 && this.steps.every((step) => step.status === 'passed');
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  summary(): void {
    const failed = this.steps.filter((step) => step.status === 'failed').length;
    this.write(`\n${this.title}: ${this.steps.length - failed} passed, ${failed} failed in ${seconds(this.elapsedMs)}\n`);
    for (const [name, value] of Object.entries(this.facts))
      this.write(`  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }

  measured(seen: MeasuredNamespaces): void {
    this.namespaces = seen;
  }

  lifecycle(label: string, lines: LifecycleLine[], until?: string): void {
    this.lifecycles.push({ label, lines, ...(until === undefined ? {} : { until }) });
  }

  toJSON() {
    const { title, passed, elapsedMs, steps, facts, namespaces, lifecycles } = this;
    return { title, passed, elapsedMs, steps, facts, namespaces, lifecycles };
  }
}

export type ReportJSON = ReturnType<Report['toJSON']>;

/** What a setup writes into the report besides its steps. */
export type RunNotes = Pick<Report, 'fact' | 'say' | 'measured' | 'lifecycle'>;

// Escaping lives with the pictures it serves (the live page draws too).
export { escapeMarkup };

/** JUnit XML, one test case a step, for CI systems that display it. */
export function toJUnit(report: ReportJSON): string {
  const failures = report.steps.filter((step) => step.status === 'failed').length;
  const cases = report.steps.map((step) => {
    const open = `  <testcase classname="podmates.demo" name="${escapeMarkup(step.name)}" time="${(step.ms / 1000).toFixed(3)}"`;
    if (step.status === 'passed') return `${open}/>`;
    return `${open}>\n    <failure message="${escapeMarkup(step.problems[0] ?? 'failed')}">${escapeMarkup(step.problems.join('\n'))}</failure>\n  </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${escapeMarkup(report.title)}" tests="${report.steps.length}" failures="${failures}" time="${(report.elapsedMs / 1000).toFixed(3)}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}
