// `npm run demo`: deploys the app and its sidecar as two containers of one Pod
// on a kind cluster (or any cluster with --context) and proves, step by step,
// that they share the Pod's network and IPC namespaces, that a port clash
// between them fails the way it should, and that what Kubernetes does to Pods
// (SIGKILL, rollouts, replicas on one node) loses nothing. This file reads
// the options and runs the report: setup (steps 1-4) and clean-up are
// scripts/demo/kube-setup.ts, the claims scripts/demo/claims/.
import { parseArgs } from 'node:util';
import { positiveWholeNumber } from './lib/cli.js';
import { manifestPath } from './lib/manifests.js';
import { saveReport } from './lib/report-files.js';
import { Aborted, Report, reportOutput } from './lib/report.js';
import { runFolder } from './lib/run-folder.js';
import { chooseOverlays } from './demo/context.js';
import { KubeSetup } from './demo/kube-setup.js';
import { chooseSteps, runSteps } from './demo/runner.js';
import { OVERLAYS, STEPS, USERNS_STEPS } from './demo/claims/index.js';
import { airgapPins } from './lib/kind.js';

const USAGE = `usage: npm run demo -- [options]
  --userns           the Pod in a user namespace of its own (hostUsers: false) on a node built for it (npm run demo:userns):
                     cluster podmates-userns, node image with containerd 2.2 and runc 1.4, base manifests/overlays/user-namespace,
                     the steps that apply (${USERNS_STEPS.join('')})
  --name NAME        kind cluster name (default podmates, podmates-userns with --userns); an existing one is reused and kept
  --image IMAGE      kind node image (default: the air-gapped one when built, else kind's own)
  --build-airgap     build kind and an offline node image first (scripts/airgap/build.sh), even when a registry answers
  --no-setup         set up nothing: fail with what to run when Docker, kind, a node image or kubectl is missing
                     (by default the demo starts Docker and builds what no registry gives; as root on Debian/Ubuntu)
  --context CTX      use this kubectl context instead of kind
  --registry HOST    with --context: push the images there and deploy them from there
  --messages N       messages through the queues (default 200; twice that under load in h and i)
  --only LETTERS     run only these steps, e.g. --only bd for 5b and 5d (default: all, ${STEPS[0]!.id}-${STEPS.at(-1)!.id})
  --base DIR         kustomization deployed for the steps without one of their own (default manifests/base)
  --overlay NAME=DIR use DIR instead of manifests/overlays/NAME (manifests/NAME for jobs/…) for the step that deploys it:
                     ${[...OVERLAYS].map(([name, id]) => `${name} (${id})`).join(', ')}
  --explain          print below each step the commands that show the same thing by hand (docs/by-hand.md)
  --keep             keep the namespace (and a cluster this run created); prints how to open the Pod's live page
  --open             --keep, then port-forward to the app and print its live page's URL, until Ctrl-C
  --json             the report as JSON on stdout, alone (the run's progress goes to stderr)
  --junit FILE       write the report as JUnit XML
  --html FILE        also write the report's HTML page here (it is always in artifacts/demo-<time>/report.html)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      userns: { type: 'boolean', default: false },
      name: { type: 'string' },
      image: { type: 'string' },
      'build-airgap': { type: 'boolean', default: false },
      'no-setup': { type: 'boolean', default: false },
      context: { type: 'string' },
      registry: { type: 'string' },
      messages: { type: 'string', default: '200' },
      only: { type: 'string' },
      base: { type: 'string' },
      overlay: { type: 'string', multiple: true, default: [] },
      explain: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      html: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const messages = positiveWholeNumber('--messages', values.messages, USAGE);
  const overlays = chooseOverlays(OVERLAYS, values.overlay, USAGE);
  if (values.registry && !values.context) throw new Error(`--registry goes with --context\n${USAGE}`);
  // A step not chosen with --only is left out of the report (never "passed").
  const userns = values.userns;
  const steps = chooseSteps(STEPS, values.only ?? (userns ? USERNS_STEPS.join('') : undefined));

  const title = `podmates: two containers, one Pod, on Kubernetes${userns ? ', in a user namespace of its own' : ''}`;
  const report = new Report(title, reportOutput(values.json));
  const folder = runFolder('demo');
  const setup = new KubeSetup(
    {
      name: values.name ?? (userns ? 'podmates-userns' : 'podmates'),
      image: values.image ?? (userns && !values.context ? airgapPins().usernsNodeImage : undefined),
      buildAirgap: values['build-airgap'],
      setUp: !values['no-setup'],
      context: values.context,
      registry: values.registry,
      base: values.base ?? manifestPath(userns ? 'overlays/user-namespace' : 'base'),
      userNamespaces: userns,
      overlays,
      keep: values.keep || values.open,
      folder,
    },
    report,
  );
  let cleaning: Promise<void> | null = null;
  const cleanUp = () => (cleaning ??= setup.cleanUp(report.passed));
  const interrupted = () => {
    report.say('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);

  try {
    // Each is required: without it nothing after it can run.
    await report.step(
      '1. preflight: Docker, kind, a node image and kubectl (set up when missing)',
      (progress) => setup.preflight(progress),
      { required: true },
    );
    // The images build while the cluster starts: only loading them needs it.
    const cluster = report.step('2. cluster', (progress) => setup.createCluster(progress), { required: true });
    const images = report.step('3. images: build, then load into the cluster', (progress) => setup.loadImages(progress, cluster), {
      required: true,
    });
    await Promise.all([cluster, images]);
    await report.step('4. deploy the base manifests and wait for the rollout', (progress) => setup.deployBase(progress), {
      required: true,
    });
    await runSteps(report, setup.contextFor(messages), steps, values.explain);
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  saveReport(report, { folder, html: values.html, junit: values.junit });
  if (values.json) console.log(JSON.stringify(report.toJSON(), null, 2));
  const code = report.passed ? 0 : 1;
  if (values.open) {
    process.off('SIGINT', interrupted);
    await openPage(setup);
  }
  return code;
}

/** --open: the kept Pod's live page through a port-forward, until Ctrl-C (which leaves the Pod). */
async function openPage(setup: KubeSetup): Promise<void> {
  const page = await setup.openPage().catch((error: Error) => {
    process.stderr.write(`\ncannot open the live page: ${error.message}\n`);
    return null;
  });
  if (!page) return;
  process.stderr.write(`\nThe Pod's live page: ${page.url}/  (${page.how}; Ctrl-C stops the port-forward, the Pod stays)\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  page.close();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
