// Runs the chosen steps, each as a named, timed step of the report; a step that
// cannot run here is left out with the reason in the summary. The steps that
// look at the Pod under test run LOOKING_AT_ONCE at a time. On Kubernetes, a
// step with a Deployment of its own runs beside them, and beside other such
// steps, as long as its Pods fit in the UID's queue budget; its Deployment is
// deleted after it. A step that takes the whole budget goes first, and the
// steps that look start once its Pods have. The report is written in step
// order all the same.
import { Semaphore } from 'async-mutex';
import type { Report } from '../lib/report.js';
import { explainByHand } from './by-hand.js';
import type { DemoContext, Step } from './context.js';

/** The steps named by --only, by the letter after the 5 ("bd" for 5b and 5d); all of them by default. */
export function chooseSteps(steps: readonly Step[], only: string | undefined): Step[] {
  if (only === undefined) return [...steps];
  const letters = steps.map((step) => step.id.slice(1));
  const unknown = [...only].filter((letter) => !letters.includes(letter));
  if (only === '' || unknown.length > 0)
    throw new Error(`--only takes letters of the steps ${letters.join('')}, got ${JSON.stringify(only)}`);
  return steps.filter((step) => only.includes(step.id.slice(1)));
}

/** A step's by-hand commands, indented under its result. */
const byHandLines = (step: Step) => `    by hand (docs/by-hand.md#${step.id}):\n${explainByHand(step.byHand).replace(/^/gm, '      ')}`;

/**
 * More would mostly wait for the CPU (every probe is a `kubectl exec` that
 * starts a Node process), and the steps that hold a listener for a few seconds
 * count on the next exec starting in time.
 */
const LOOKING_AT_ONCE = 2;

/** `explain`: print each step's by-hand commands below its result (--explain). */
export async function runSteps(
  report: Report,
  contextFor: (step: Step) => DemoContext,
  steps: readonly Step[],
  explain = false,
): Promise<void> {
  const chosen = steps.flatMap((step) => {
    const context = contextFor(step);
    const reason = step.unavailable?.(context) ?? null;
    if (reason !== null) report.fact(`${step.id} skipped`, reason);
    return reason === null ? [{ step, context }] : [];
  });
  const looking = new Semaphore(LOOKING_AT_ONCE);
  const own = chosen.filter(({ step, context }) => step.ownDeployment && context.k8s);
  // The base Pod holds one share of the budget for the whole run.
  const budget = Math.max(1, (own[0]?.context.k8s?.queueBudget.pods ?? 1) - 1);
  const pods = new Semaphore(budget);
  // Places in the budget's queue, the biggest (Pods x seconds) first, so the
  // small ones fill the gaps; the report keeps the steps' order.
  const size = (step: Step) => step.ownDeployment!.pods * step.ownDeployment!.seconds;
  const bySize = [...own].sort((a, b) => size(b.step) - size(a.step));
  const slots = new Map(bySize.map(({ step }) => [step, pods.acquire(Math.min(step.ownDeployment!.pods, budget))]));
  let notStarted = slots.size;
  // A step that takes the whole budget (5j) starts all its Pods at once, then
  // mostly waits (on the kubelet's restart back-off), and no other step with
  // Pods can run meanwhile. The steps that look start when it says its Pods
  // have started (podsStarted), or when it ends: beside its start they would
  // share the CPU with it, beside its wait they have the CPU to themselves.
  const podsUp = new Map(own.filter(({ step }) => step.ownDeployment!.pods >= budget).map(({ step }) => [step, signal()]));
  const lookersGo = Promise.all([...podsUp.values()].map(({ given }) => given));
  // Said under the first of them, the one shown live meanwhile.
  const firstLooking = chosen.find(({ step }) => !slots.has(step))?.step;
  const whole = [...podsUp.keys()].map((step) => step.id).join(', ');
  const gateSaid = `waiting until ${whole} has started its Pods: the steps that look at the base Pod run beside its wait, not its start`;
  await Promise.all(
    chosen.map(({ step, context }) => {
      const name = `${step.id}. ${step.title(context)}`;
      const up = podsUp.get(step);
      const told = up ? { ...context, k8s: { ...context.k8s!, podsStarted: up.give } } : context;
      const run = (progress: (message: string) => void) => step.run(told, progress);
      const after = explain ? byHandLines(step) : undefined;
      const slot = slots.get(step);
      if (slot) {
        const started = slot.then(() => (notStarted -= 1));
        const ran = report.step(name, run, { startAfter: started, after }).finally(() => up?.give());
        return ran.then(async (passed) => {
          // Once no step waits for a share, the demo's clean-up takes the rest.
          // A Deployment left behind keeps its share: the steps after it
          // would fail on the queue budget, and say so.
          await context
            .k8s!.own.remove(!passed, notStarted > 0)
            .catch((error: Error) => report.fact(`${step.id} clean-up failed`, error.message));
          (await slot)[1]();
        });
      }
      const turn = lookersGo.then(() => looking.acquire());
      const waiting = podsUp.size > 0 && step === firstLooking ? gateSaid : undefined;
      return report.step(name, run, { startAfter: turn, waiting, after }).finally(async () => (await turn)[1]());
    }),
  );
}

/** A promise and the function that fulfils it. */
function signal(): { given: Promise<void>; give: () => void } {
  let give!: () => void;
  const given = new Promise<void>((resolve) => (give = resolve));
  return { given, give };
}
