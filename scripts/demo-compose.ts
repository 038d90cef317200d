// `npm run demo:compose`: the Pod reproduced with docker-compose, proven with
// the demo's own steps (scripts/demo/claims/) where Docker can run them and
// with compose's start and stop order, then taken down.
import { parseArgs } from 'node:util';
import { positiveWholeNumber } from './lib/cli.js';
import { saveReport } from './lib/report-files.js';
import { Aborted, Report, reportOutput } from './lib/report.js';
import { runFolder } from './lib/run-folder.js';
import { ComposeSetup } from './demo/compose-setup.js';
import { runSteps } from './demo/runner.js';
import { STEPS } from './demo/claims/index.js';

const USAGE = `usage: npm run demo:compose -- [--keep] [--no-setup] [--json] [--html FILE] [--messages N] [--project NAME] [--override FILE]
  --keep          leave the compose Pod running afterwards (then its stop order is not measured)
  --no-setup      fail with what to run when no Docker Engine answers (by default, as root on Debian/Ubuntu, it starts one)
  --json          the report as JSON on stdout, alone (the run's progress goes to stderr)
  --html FILE     also write the report's HTML page here (it is always in artifacts/compose-<time>/report.html)
  --messages N    messages sent through the queues (default 200)
  --project NAME  compose project name (default podmates-demo)
  --override FILE an extra compose file on top of docker-compose.yml (e.g. to break the Pod on purpose)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean', default: false },
      'no-setup': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      messages: { type: 'string', default: '200' },
      project: { type: 'string', default: 'podmates-demo' },
      override: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const messages = positiveWholeNumber('--messages', values.messages, USAGE);

  const report = new Report('podmates: a Pod reproduced with docker-compose', reportOutput(values.json));
  const folder = runFolder('compose');
  const setup = new ComposeSetup(
    { project: values.project, overrides: values.override, keep: values.keep, setUp: !values['no-setup'], folder },
    report,
  );
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= setup.cleanUp(report.passed));
  process.once('SIGINT', () => {
    report.say('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    await report.step('preflight: Docker and compose (Docker started when missing)', (progress) => setup.preflight(progress), {
      required: true,
    });
    await report.step('build the images', (progress) => setup.build(progress), { required: true });
    await report.step('up: pause, sidecar and app, until the app is ready', (progress) => setup.up(progress), { required: true });
    await report.step(
      "start order: `up` starts the app only once the sidecar's healthcheck has passed (depends_on with condition: service_healthy)",
      () => setup.startOrder(),
    );
    const context = await setup.context(messages);
    await runSteps(report, () => context, STEPS);
    await report.step('clash: a third container on the app port fails with exit 98, the others keep running', () => setup.clash());
    // Last: it stops the Pod, which --keep leaves running.
    if (values.keep) report.fact('stop order skipped', '--keep leaves the Pod running');
    else await report.step('stop order: `stop` stops the app before the sidecar, the reverse of depends_on', () => setup.stopOrder());
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  saveReport(report, { folder, html: values.html });
  if (values.json) console.log(JSON.stringify(report.toJSON(), null, 2));
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo:compose: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
