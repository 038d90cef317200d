// docs/by-hand.md, typed as a reader would: every command of every claim, in
// the page's order, on the cluster `npm run demo -- --keep` leaves, each
// output checked against what the page says it shows.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { judgeByHand } from '../../scripts/demo/by-hand.js';
import { STEPS } from '../../scripts/demo/claims/index.js';
import { describeIf } from '../support/describe-pod.js';
import { deleteCluster, demoOn, kindBlocker, typeByHand } from '../support/kind-demo.js';

const CLUSTER = 'podmates-hand';
const type = (command: string) => typeByHand(CLUSTER, command);

describeIf('docs/by-hand.md, every command on a kept kind cluster', kindBlocker, () => {
  beforeAll(async () => {
    // The base Pod and the probe Pod, kept: what the page starts from.
    const { exitCode, steps } = await demoOn(CLUSTER, ['--only', 'a']);
    expect({ exitCode, steps: steps.map((step) => [step.name.slice(0, 2), step.status, step.problems]) }).toMatchObject({ exitCode: 0 });
  }, 600_000);
  afterAll(() => deleteCluster(CLUSTER));

  // 5x's are typed on the user-namespace node, in test/kind/user-namespace.test.ts.
  for (const step of STEPS.filter((candidate) => !candidate.byHand.cluster)) {
    test(`${step.id}: ${step.byHand.claim}`, async () => {
      let restored: Awaited<ReturnType<typeof type>> | null = null;
      try {
        // What the page shows is the output; kubectl's own notices on stderr (a websocket's) are not.
        for (const command of step.byHand.commands) {
          const { stdout, stderr } = await type(command.run);
          const problem = judgeByHand(step.id, command, stdout);
          expect(problem && `${problem}\n(stderr: ${stderr || 'nothing'})`).toBeNull();
        }
      } finally {
        // The next claim starts from the demo's Pod again, whatever happened to this one.
        if (step.byHand.restore) restored = await type(step.byHand.restore);
      }
      if (restored)
        expect(restored, `putting the demo's Pod back after ${step.id}: ${JSON.stringify(restored)}`).toMatchObject({ exitCode: 0 });
    }, 600_000);
  }
});
