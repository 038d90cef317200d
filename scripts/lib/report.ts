// A run of named steps, printed as they happen and summed up at the end; the
// same shape for the compose and kind demos, as text, JSON and JUnit XML.
import { CheckFailed } from './checks.js';

export interface StepResult {
  name: string;
  status: 'passed' | 'failed';
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

export class Report {
  readonly steps: StepResult[] = [];
  readonly facts: Record<string, unknown> = {};
  private readonly started = Date.now();

  constructor(
    readonly title: string,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    this.write(`${title}\n\n`);
  }

  /**
   * Runs one step. Its function may return a short detail line. A CheckFailed
   * lists its problems; any other error is one problem. A failed required step
   * throws Aborted after it has been recorded.
   */
  async step(name: string, run: (progress: Progress) => Promise<string | void>, options: { required?: boolean } = {}): Promise<boolean> {
    const started = Date.now();
    this.write(`▶ ${name}\n`);
    const progress: Progress = (message) => this.write(`    … ${message} (${seconds(Date.now() - started)})\n`);
    let result: StepResult;
    try {
      const detail = await run(progress);
      result = { name, status: 'passed', ms: Date.now() - started, problems: [], ...(detail ? { detail } : {}) };
    } catch (error) {
      const problems = error instanceof CheckFailed ? error.problems : [error instanceof Error ? error.message : String(error)];
      result = { name, status: 'failed', ms: Date.now() - started, problems };
    }
    this.steps.push(result);
    const mark = result.status === 'passed' ? '✔ passed' : '✘ FAILED';
    this.write(`  ${mark} in ${seconds(result.ms)}${result.detail ? `: ${result.detail}` : ''}\n`);
    for (const problem of result.problems) this.write(`    - ${problem}\n`);
    if (result.status === 'failed' && options.required) throw new Aborted(`${name} failed`);
    return result.status === 'passed';
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
    for (const [name, value] of Object.entries(this.facts)) this.write(`  ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
  }

  toJSON() {
    return { title: this.title, passed: this.passed, elapsedMs: this.elapsedMs, steps: this.steps, facts: this.facts };
  }
}

export type ReportJSON = ReturnType<Report['toJSON']>;

/** Text safe inside XML and HTML, attribute values included. */
export const escapeMarkup = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

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
