// `npm run demo:compose`: the Pod reproduced with docker-compose, proven with
// the demo's own steps (scripts/demo/steps/) where Docker can run them, then
// taken down.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { ExitCode } from '../apps/shared/exit-codes.js';
import { positiveWholeNumber } from './lib/cli.js';
import { assertCheck, judgeClash, type NamespaceExpectation } from './lib/checks.js';
import { ComposePod } from './lib/compose-pod.js';
import { baseImages, buildImages, composeCommand, dockerServerVersion } from './lib/docker.js';
import { PROJECT_ROOT } from './lib/project.js';
import { saveReport } from './lib/report-files.js';
import { Aborted, Report } from './lib/report.js';
import { pollUntil } from './lib/wait.js';
import { APP, type DemoContext, type PodTarget } from './demo/context.js';
import { runSteps } from './demo/runner.js';
import { STEPS } from './demo/steps/index.js';

const USAGE = `usage: npm run demo:compose -- [--keep] [--json] [--html FILE] [--messages N] [--project NAME] [--override FILE]
  --keep          leave the compose Pod running afterwards
  --json          print the report as JSON at the end
  --html FILE     write the report as an HTML page here (default artifacts/compose-report.html)
  --messages N    messages sent through the queues (default 200)
  --project NAME  compose project name (default podmates-demo)
  --override FILE an extra compose file on top of docker-compose.yml (e.g. to break the Pod on purpose)`;

// Docker can join another container's network and IPC namespaces but not its
// UTS namespace (\`--uts\` takes only "host"): unlike in Kubernetes each
// container keeps a UTS namespace of its own (with the hostname copied).
const COMPOSE_NAMESPACES: NamespaceExpectation = { shared: ['net', 'ipc'], separate: ['pid', 'mnt'] };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      html: { type: 'string', default: join(PROJECT_ROOT, 'artifacts', 'compose-report.html') },
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

  const report = new Report('podmates: a Pod reproduced with docker-compose');
  let pod: ComposePod | null = null;
  let cleaningUp = false;
  const cleanUp = async () => {
    if (cleaningUp || !pod) return;
    cleaningUp = true;
    if (!report.passed) {
      const folder = await pod.saveArtifacts(join(PROJECT_ROOT, 'artifacts', `compose-${new Date().toISOString().replace(/[:.]/g, '-')}`));
      console.log(`\nLogs and container details saved in ${folder}`);
    }
    if (values.keep) console.log(`\nKept the Pod running: docker-compose -p ${values.project} --profile clash down`);
    else await pod.down();
  };
  process.once('SIGINT', () => {
    console.log('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    let compose: string[] = [];
    await report.step(
      'preflight: Docker and compose',
      async () => {
        const server = await dockerServerVersion();
        compose = await composeCommand();
        return `Docker ${server}, ${compose.join(' ')}`;
      },
      { required: true },
    );

    await report.step(
      'build the images',
      async (progress) => {
        const bases = await baseImages(progress);
        const sizes = await buildImages(bases, progress);
        report.fact('base images', `${bases.build}, ${bases.runtime} (${bases.origin})`);
        report.fact('image sizes (MB)', sizes);
        return `bases: ${bases.origin}; app ${sizes.app} MB, sidecar ${sizes.sidecar} MB, pause ${sizes.pause} MB`;
      },
      { required: true },
    );

    pod = new ComposePod(compose, values.project, values.override);
    const composePod = pod;
    await report.step(
      'up: pause, sidecar and app, until the app is ready',
      async (progress) => {
        await composePod.down(); // a Pod left by an interrupted run
        const started = Date.now();
        await composePod.up();
        await pollUntil(
          async () => ((await composePod.probe('app', 'http', 'GET', `${APP}/readyz`)) as { status: number }).status === 200,
          { timeoutMs: 60_000, what: 'the app to be ready (GET /readyz)', progress },
        );
        report.fact('up to ready (ms)', Date.now() - started);
        return `ready ${Date.now() - started} ms after up`;
      },
      { required: true },
    );

    // The same steps as on Kubernetes, where Docker can do them; the others say why not.
    const target: PodTarget = {
      probeIn: (container, ...args) => composePod.probe(container, ...args),
      probeOutside: (...args) => composePod.probeFromOutside(...args),
      address: await composePod.podAddress(),
      outside: 'another container on the compose network',
      networkPlugin: async () => `Docker's bridge network ${values.project}_default (libnetwork, no CNI)`,
    };
    const context: DemoContext = {
      messages,
      expectedNamespaces: COMPOSE_NAMESPACES,
      target: async () => target,
      fact: (name, value) => report.fact(name, value),
      k8s: null,
    };
    await runSteps(report, context, STEPS);

    await report.step('clash: a third container on the app port fails with exit 98, the others keep running', async () => {
      const clash = await composePod.runClash();
      const problems = judgeClash({ ...clash, port: 8080 }, ExitCode.portInUse);
      for (const service of ['pod', 'sidecar', 'app']) if (!(await composePod.isRunning(service))) problems.push(`${service} stopped during the clash`);
      assertCheck('clash', problems);
      return `exit ${clash.exitCode}: "address already in use"`;
    });
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  saveReport(report, { html: values.html });
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
