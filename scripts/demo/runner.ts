// Runs the chosen steps in order, each as a named, timed step of the report;
// a step that cannot run here is left out with the reason in the summary.
import type { Report } from '../lib/report.js';
import type { DemoContext, Step } from './context.js';

/** The steps named by --only, by the letter after the 5 ("bd" for 5b and 5d); all of them by default. */
export function chooseSteps(steps: readonly Step[], only: string | undefined): Step[] {
  if (only === undefined) return [...steps];
  const letters = steps.map((step) => step.id.slice(1));
  const unknown = [...only].filter((letter) => !letters.includes(letter));
  if (only === '' || unknown.length > 0) throw new Error(`--only takes letters of the steps ${letters.join('')}, got ${JSON.stringify(only)}`);
  return steps.filter((step) => only.includes(step.id.slice(1)));
}

export async function runSteps(report: Report, context: DemoContext, steps: readonly Step[]): Promise<void> {
  for (const step of steps) {
    const reason = step.unavailable?.(context) ?? null;
    if (reason !== null) {
      report.fact(`${step.id} skipped`, reason);
      continue;
    }
    await report.step(`${step.id}. ${step.title(context)}`, (progress) => step.run(context, progress));
  }
}
