// The demo's list of steps and --only, without a cluster.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { OVERLAYS, STEPS } from '../../scripts/demo/claims/index.js';
import { chooseOverlays, overlayDirectory, type DemoContext, type Step } from '../../scripts/demo/context.js';
import { chooseSteps, runSteps } from '../../scripts/demo/runner.js';
import { PROJECT_ROOT } from '../../scripts/lib/project.js';
import { Report } from '../../scripts/lib/report.js';

test('the steps are 5a, 5b, ... in order, with no letter skipped or repeated', () => {
  const letters = STEPS.map((step) => step.id.slice(1)).join('');
  expect(STEPS.every((step) => step.id.startsWith('5'))).toBe(true);
  expect(letters).toBe('abcdefghijklmnopqrstuvwxyz'.slice(0, STEPS.length));
});

test('every claim folder is in the index, once, and every folder has its step and its by-hand commands', () => {
  const claims = join(PROJECT_ROOT, 'scripts/demo/claims');
  const folders = readdirSync(claims, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  expect(STEPS.map((step) => step.folder).sort()).toEqual(folders.map((folder) => folder.name).sort());
  for (const { name } of folders) {
    expect(existsSync(join(claims, name, 'step.ts')), name).toBe(true);
    expect(existsSync(join(claims, name, 'by-hand.ts')), name).toBe(true);
  }
});

test("the overlays are the steps' own, each a folder under manifests, and --overlay refuses any other name", () => {
  expect([...OVERLAYS]).toEqual([
    ['native-sidecar', '5f'],
    ['clash', '5g'],
    ['shared-pid', '5p'],
    ['init-queue', '5s'],
    ['spread', '5u'],
    ['jobs/native-sidecar', '5v'],
    ['network-policy', '5w'],
  ]);
  for (const name of OVERLAYS.keys()) expect(existsSync(overlayDirectory(name)), name).toBe(true);
  expect(chooseOverlays(OVERLAYS, ['clash=/tmp/mine'], 'usage').get('clash')).toBe('/tmp/mine');
  expect(() => chooseOverlays(OVERLAYS, ['probe=/tmp/x'], 'usage')).toThrow(
    '--overlay takes NAME=DIR with NAME one of native-sidecar, clash, shared-pid, init-queue, spread, jobs/native-sidecar, network-policy, got "probe=/tmp/x"',
  );
});

test('--only picks steps by letter, keeps their order, and refuses unknown letters', () => {
  expect(chooseSteps(STEPS, undefined).map((step) => step.id)).toHaveLength(STEPS.length);
  expect(chooseSteps(STEPS, 'db').map((step) => step.id)).toEqual(['5b', '5d']);
  expect(() => chooseSteps(STEPS, 'bz')).toThrow(`--only takes letters of the steps ${STEPS.map((step) => step.id[1]).join('')}, got "bz"`);
  expect(() => chooseSteps(STEPS, '')).toThrow(/--only takes letters/);
});

/** Steps that only wait, and a log of what ran when: the runner's scheduling without a cluster. */
function fakeRun(budgetPods: number) {
  const events: string[] = [];
  let podsInUse = 0;
  let mostPods = 0;
  let looking = 0;
  let mostLooking = 0;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
  /** `saysPodsStarted`: the step calls podsStarted halfway, as 5j does. */
  const fake = (id: string, ownDeployment?: Step['ownDeployment'], saysPodsStarted = false): Step => ({
    id,
    folder: id,
    byHand: { claim: id, commands: [] },
    title: () => id,
    ...(ownDeployment ? { ownDeployment } : {}),
    run: async (context) => {
      const pods = ownDeployment?.pods ?? 0;
      podsInUse += pods;
      mostPods = Math.max(mostPods, podsInUse);
      if (!ownDeployment) mostLooking = Math.max(mostLooking, ++looking);
      events.push(`start ${id}`);
      await pause();
      if (saysPodsStarted) {
        events.push(`pods started ${id}`);
        context.k8s?.podsStarted?.();
        await pause();
      }
      if (!ownDeployment) looking -= 1;
      events.push(`end ${id}`);
      return 'done';
    },
  });
  const context = (step: Step): DemoContext =>
    ({
      k8s: {
        queueBudget: { limit: 0, perPod: 0, pods: budgetPods },
        own: {
          remove: async () => {
            podsInUse -= step.ownDeployment?.pods ?? 0;
            events.push(`removed ${step.id}`);
          },
        },
      },
    }) as unknown as DemoContext;
  return { events, fake, context, most: () => ({ pods: mostPods, looking: mostLooking }) };
}

test('steps with a Deployment of their own run side by side within the queue budget, the biggest first; the others two at a time', async () => {
  const { events, fake, context, most } = fakeRun(6);
  const steps = [
    fake('5a'),
    fake('5b'),
    fake('5c'),
    fake('5e', { pods: 1, seconds: 10 }),
    fake('5i', { pods: 2, seconds: 30 }),
    fake('5j', { pods: 5, seconds: 20 }),
  ];
  const lines: string[] = [];
  const report = new Report('demo', (text) => lines.push(text));
  await runSteps(report, context, steps);
  // The base Pod holds one of the 6: 5j (100 Pod-seconds) starts first, 5i and 5e wait for its share.
  expect(events.filter((event) => event.startsWith('start 5') && !['start 5a', 'start 5b', 'start 5c'].includes(event))[0]).toBe(
    'start 5j',
  );
  expect(events.indexOf('start 5i')).toBeGreaterThan(events.indexOf('removed 5j'));
  expect(events.indexOf('start 5e')).toBeGreaterThan(events.indexOf('removed 5j'));
  expect(most()).toEqual({ pods: 5, looking: 2 });
  expect(report.steps.map((step) => step.name)).toEqual(['5a. 5a', '5b. 5b', '5c. 5c', '5e. 5e', '5i. 5i', '5j. 5j']);
});

test('the steps that look wait for a step that takes the whole budget to start its Pods, or to end', async () => {
  const order = async (saysPodsStarted: boolean) => {
    const { events, fake, context } = fakeRun(6);
    let text = '';
    const report = new Report('demo', (written) => (text += written));
    await runSteps(report, context, [fake('5a'), fake('5b'), fake('5j', { pods: Number.POSITIVE_INFINITY, seconds: 75 }, saysPodsStarted)]);
    return Object.assign(events, { text });
  };
  // 5j says so halfway: 5a and 5b run beside the rest of it.
  const told = await order(true);
  // The first of them, shown live meanwhile, says what it waits for; the others do not.
  expect(told.text).toContain('▶ 5a. 5a\n    … waiting until 5j has started its Pods: ');
  expect(told.text).toContain('▶ 5b. 5b\n  ✔ passed');
  expect(told.indexOf('start 5a'), `5a started before 5j's Pods had: ${told.join(', ')}`).toBeGreaterThan(told.indexOf('pods started 5j'));
  expect(told.indexOf('start 5a'), `5a waited for the end of 5j: ${told.join(', ')}`).toBeLessThan(told.indexOf('end 5j'));
  // It never says so: they start when it has ended.
  const untold = await order(false);
  expect(untold.indexOf('start 5a'), `5a started beside 5j, which never said its Pods had: ${untold.join(', ')}`).toBeGreaterThan(
    untold.indexOf('end 5j'),
  );
});
