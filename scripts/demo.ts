// `npm run demo`: deploys the app and its sidecar as two containers of one Pod
// on a kind cluster (or any cluster with --context) and proves, step by step,
// that they share the Pod's network and IPC namespaces, that a port clash
// between them fails the way it should, and that what Kubernetes does to Pods
// (SIGKILL, rollouts, replicas on one node) loses nothing. This file sets the
// cluster up (steps 1-4) and cleans up; the claims are scripts/demo/steps/.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { positiveWholeNumber } from './lib/cli.js';
import { run } from './lib/commands.js';
import { baseImages, buildImages, dockerServerVersion, imageName } from './lib/docker.js';
import { KindCluster, planCluster } from './lib/kind.js';
import { Kube, NAMESPACE, saveKubeArtifacts, type PodStatus } from './lib/kube.js';
import { manifestPath } from './lib/manifests.js';
import { PROJECT_ROOT } from './lib/project.js';
import { saveReport } from './lib/report-files.js';
import { Aborted, Report, type Progress } from './lib/report.js';
import { POD_NAMESPACES } from './lib/checks.js';
import { chooseOverlays, SELECTOR, type DemoContext } from './demo/context.js';
import { kubeTarget } from './demo/kube-target.js';
import { PROBE_POD } from './demo/probe-pod.js';
import { chooseSteps, runSteps } from './demo/runner.js';
import { STEPS } from './demo/steps/index.js';

const USAGE = `usage: npm run demo -- [options]
  --name NAME        kind cluster name (default podmates); an existing one is reused and kept
  --image IMAGE      kind node image (default: the air-gapped one when built, else kind's own)
  --build-airgap     build kind and an offline node image first (scripts/airgap/build.sh)
  --context CTX      use this kubectl context instead of kind
  --registry HOST    with --context: push the images there and deploy them from there
  --messages N       messages through the queues (default 200; 10x that under load in h and i)
  --only LETTERS     run only these steps, e.g. --only bd for 5b and 5d (default: all, 5a-5s)
  --base DIR         kustomization deployed for the steps without one of their own (default manifests/base)
  --overlay NAME=DIR use DIR instead of manifests/overlays/NAME for the step that deploys it:
                     native-sidecar (5f), clash (5g), shared-pid (5p), init-queue (5s)
  --keep             keep the namespace (and a cluster this run created)
  --json             print the report as JSON at the end
  --junit FILE       write the report as JUnit XML
  --html FILE        write the report as an HTML page here (default artifacts/demo-report.html)`;

function unreachable(what: string): never {
  throw new Error(`internal error: ${what}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string', default: 'podmates' },
      image: { type: 'string' },
      'build-airgap': { type: 'boolean', default: false },
      context: { type: 'string' },
      registry: { type: 'string' },
      messages: { type: 'string', default: '200' },
      only: { type: 'string' },
      base: { type: 'string', default: manifestPath('base') },
      overlay: { type: 'string', multiple: true, default: [] },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      html: { type: 'string', default: join(PROJECT_ROOT, 'artifacts', 'demo-report.html') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const messages = positiveWholeNumber('--messages', values.messages, USAGE);
  const overlays = chooseOverlays(values.overlay, USAGE);
  if (values.registry && !values.context) throw new Error(`--registry goes with --context\n${USAGE}`);
  // A step not chosen with --only is left out of the report (never "passed").
  const steps = chooseSteps(STEPS, values.only);

  const report = new Report('podmates: two containers, one Pod, on Kubernetes');
  let cluster: KindCluster | null = null;
  let createdCluster = false;
  let kube: Kube | null = null;
  let cleaning: Promise<void> | null = null;

  const cleanUp = () =>
    (cleaning ??= (async () => {
      if (kube && !report.passed) {
        const folder = await saveKubeArtifacts(kube, join(PROJECT_ROOT, 'artifacts', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
        console.log(`\nEvents, descriptions and logs saved in ${folder}`);
      }
      if (values.keep) {
        console.log(`\nKept: namespace ${NAMESPACE}${createdCluster && cluster ? ` and kind cluster ${cluster.name}` : ''} (--keep)`);
        return;
      }
      console.log('\ncleaning up');
      if (createdCluster && cluster) await cluster.delete();
      else if (kube) await kube.deleteNamespace();
    })());
  process.once('SIGINT', () => {
    console.log('\ninterrupted: cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    let plan: Awaited<ReturnType<typeof planCluster>> | null = null;
    await report.step(
      '1. preflight: docker, kubectl and kind',
      async (progress) => {
        const docker = await dockerServerVersion();
        const kubectl = (await run(['kubectl', 'version', '--client', '-o', 'json']).catch(() => {
          throw new Error('kubectl is not installed: https://kubernetes.io/docs/tasks/tools/ (or your package manager)');
        })).stdout;
        const client = (JSON.parse(kubectl) as { clientVersion: { gitVersion: string } }).clientVersion.gitVersion;
        if (values.context) return `Docker ${docker}, kubectl ${client}, context ${values.context}`;
        plan = await planCluster({ image: values.image, buildAirgap: values['build-airgap'] }, progress);
        const kind = await new KindCluster(plan, values.name).version();
        report.fact('node image', `${plan.image ?? "kind's default"} (${plan.origin})`);
        return `Docker ${docker}, kubectl ${client}, ${kind}`;
      },
      { required: true },
    );

    await report.step(
      '2. cluster',
      async (progress) => {
        if (values.context) {
          kube = new Kube(values.context, values.registry);
        } else {
          cluster = new KindCluster(plan!, values.name);
          if (await cluster.exists()) {
            progress(`reusing kind cluster ${cluster.name}`);
          } else {
            progress(`creating kind cluster ${cluster.name}`);
            await cluster.create(progress);
            createdCluster = true;
          }
          kube = new Kube(cluster.context);
        }
        await kube.kubectl(['wait', '--for=condition=Ready', 'nodes', '--all', '--timeout=180s'], { timeoutMs: 190_000 });
        const version = await kube.serverVersion();
        report.fact('Kubernetes', version);
        return `${kube.context}, Kubernetes ${version}${createdCluster ? ' (created)' : values.context ? '' : ' (reused)'}`;
      },
      { required: true },
    );
    // Set by the required step above (the run stops if it fails), read by every step below.
    const k = (): Kube => kube ?? unreachable('no cluster');

    await report.step(
      '3. images: build, then load into the cluster',
      async (progress) => {
        const bases = await baseImages(progress);
        const sizes = await buildImages(bases, progress);
        const images = [imageName('app'), imageName('sidecar')];
        if (cluster) {
          progress('kind load docker-image');
          await cluster.load(images);
        } else if (values.registry) {
          for (const image of images) {
            await run(['docker', 'tag', image, `${values.registry}/${image}`]);
            await run(['docker', 'push', `${values.registry}/${image}`], { timeoutMs: 300_000 });
          }
        }
        return `app ${sizes.app} MB, sidecar ${sizes.sidecar} MB (bases: ${bases.origin})`;
      },
      { required: true },
    );

    /** The kustomization the Deployment was last replaced with. */
    let deployed: string | null = null;
    /** Replaces the Deployment; returns the API server's warnings. */
    const deployNoWait = async (directory: string): Promise<string[]> => {
      await k().deleteDeployment('podmates');
      deployed = directory;
      return k().apply(directory);
    };
    const deploy = async (directory: string, progress: Progress): Promise<PodStatus> => {
      await deployNoWait(directory);
      progress('waiting for the rollout');
      await k().rollout('podmates', 180);
      return k().podByLabel(SELECTOR);
    };

    await report.step(
      '4. deploy the base manifests and wait for the rollout',
      async (progress) => {
        // A probe Pod kept from an earlier run (--keep) runs the images of that
        // run: the steps that need it make it anew from the ones just loaded.
        await k().kubectl(['-n', NAMESPACE, 'delete', 'pod', PROBE_POD, '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
        const ready = await deploy(values.base, progress);
        return `Pod ${ready.name} at ${ready.ip}, containers ${ready.containers.map((container) => container.name).join(' + ')}`;
      },
      { required: true },
    );

    const basePod = async (progress: Progress) => (deployed === values.base ? k().podByLabel(SELECTOR) : deploy(values.base, progress));
    const context: DemoContext = {
      messages,
      expectedNamespaces: POD_NAMESPACES,
      target: async (progress) => kubeTarget(k(), await basePod(progress), progress, cluster),
      fact: (name, value) => report.fact(name, value),
      k8s: {
        kube: k(),
        cluster,
        base: values.base,
        overlay: (name) => overlays[name],
        basePod,
        deploy,
        deployNoWait,
      },
    };
    await runSteps(report, context, steps);
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  saveReport(report, { html: values.html, junit: values.junit });
  if (values.json) console.log(JSON.stringify(report.toJSON(), null, 2));
  return report.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
