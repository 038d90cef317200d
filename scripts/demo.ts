// `npm run demo`: deploys the app and its sidecar as two containers of one Pod
// on a kind cluster (or any cluster with --context) and proves, step by step,
// that they share the Pod's network and IPC namespaces, that a port clash
// between them fails the way it should, and that what Kubernetes does to Pods
// (SIGKILL, rollouts, replicas on one node) loses nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ExitCode } from '../apps/shared/exit-codes.js';
import type { Delivered } from '../apps/probe/round-trip.js';
import { positiveWholeNumber } from './lib/cli.js';
import { assertCheck, CheckFailed, judgeClash, judgeIsolation, judgeNamespaces, judgeRoundTrip, POD_NAMESPACES } from './lib/checks.js';
import { run } from './lib/commands.js';
import { baseImages, buildImages, dockerServerVersion, imageName } from './lib/docker.js';
import { KindCluster, planCluster } from './lib/kind.js';
import { Kube, NAMESPACE, saveKubeArtifacts, type PodStatus } from './lib/kube.js';
import { manifestPath, renderDirectory } from './lib/manifests.js';
import { PROJECT_ROOT } from './lib/project.js';
import { Aborted, Report, toJUnit, type Progress } from './lib/report.js';
import { pollUntil } from './lib/wait.js';
import { crashUnderLoad } from './demo/crash.js';
import { ensureProbePod } from './demo/probe-pod.js';
import { fiveReplicas } from './demo/replicas.js';
import { rolloutUnderLoad } from './demo/rollout.js';

const USAGE = `usage: npm run demo -- [options]
  --name NAME        kind cluster name (default podmates); an existing one is reused and kept
  --image IMAGE      kind node image (default: the air-gapped one when built, else kind's own)
  --build-airgap     build kind and an offline node image first (scripts/airgap/build.sh)
  --context CTX      use this kubectl context instead of kind
  --registry HOST    with --context: push the images there and deploy them from there
  --messages N       messages through the queues (default 200; 10x that under load in h and i)
  --only LETTERS     run only these assertion steps, e.g. --only bd (default abcdefghij)
  --base DIR         kustomization deployed for steps a-e and h-j (default manifests/base)
  --clash DIR        kustomization for step g (default manifests/overlays/clash)
  --keep             keep the namespace (and a cluster this run created)
  --json             print the report as JSON at the end
  --junit FILE       write the report as JUnit XML`;

const APP = 'http://127.0.0.1:8080';
const SIDECAR = 'http://127.0.0.1:9090';
const SELECTOR = 'app.kubernetes.io/name=podmates';

interface Http {
  status: number;
  body: Record<string, unknown>;
}

function unreachable(what: string): never {
  throw new Error(`internal error: ${what}`);
}

/** Timestamps of a service's structured log lines with this event, in ms. */
function eventTimes(log: string, event: string): number[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"event":"${event}"`))
    .map((line) => Date.parse((JSON.parse(line) as { ts: string }).ts));
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
      only: { type: 'string', default: 'abcdefghij' },
      base: { type: 'string', default: manifestPath('base') },
      clash: { type: 'string', default: manifestPath('overlays/clash') },
      keep: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      junit: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const messages = positiveWholeNumber('--messages', values.messages, USAGE);
  if (values.registry && !values.context) throw new Error(`--registry goes with --context\n${USAGE}`);
  if (!/^[a-j]+$/.test(values.only)) throw new Error(`--only takes letters from a to j\n${USAGE}`);
  // An assertion step not chosen with --only is left out of the report (never "passed").
  const chosen = (letter: string) => values.only.includes(letter);

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

    let pod: PodStatus | null = null;
    let deployed: string | null = null;
    const current = (): PodStatus => pod ?? unreachable('no Pod deployed');
    const deploy = async (directory: string, progress: Progress) => {
      await k().deleteDeployment('podmates');
      await k().apply(directory);
      deployed = directory;
      progress('waiting for the rollout');
      await k().rollout('podmates', 180);
      pod = await k().podByLabel(SELECTOR);
      return pod;
    };
    /** Steps after the overlays (f, g) need the base Pod back. */
    const baseDeployed = async (progress: Progress) => {
      if (deployed !== values.base) await deploy(values.base, progress);
      return (pod = await k().podByLabel(SELECTOR));
    };

    await report.step(
      '4. deploy the base manifests and wait for the rollout',
      async (progress) => {
        const ready = await deploy(values.base, progress);
        return `Pod ${ready.name} at ${ready.ip}, containers ${ready.containers.map((container) => container.name).join(' + ')}`;
      },
      { required: true },
    );

    const checkNamespaces = async () => {
      const answer = (await k().probe(current().name, 'app', 'http', 'GET', `${APP}/pod`)) as Http;
      assertCheck('namespaces', judgeNamespaces(answer.body, POD_NAMESPACES));
      return JSON.stringify(answer.body.verdict);
    };
    const checkRoundTrip = async (count: number) => {
      const result = (await k().probe(current().name, 'app', 'roundtrip', APP, String(count), String(Math.max(15_000, count * 150)))) as { elapsedMs: number; retried: number };
      assertCheck('round trip', judgeRoundTrip(result, count));
      return `${count} of ${count} back, none duplicated, ${result.retried} retries after 503, ${result.elapsedMs} ms`;
    };

    if (chosen('a')) await report.step('5a. namespaces: net, ipc and uts shared; pid and mnt separate', checkNamespaces);

    if (chosen('b')) await report.step('5b. HTTP over 127.0.0.1 both ways, and via the Pod IP from inside the Pod', async () => {
      const { name, ip } = current();
      const problems: string[] = [];
      const expectStatus = async (container: string, url: string) => {
        const answer = (await k().probe(name, container, 'http', 'GET', url)) as Http;
        if (answer.status !== 200) problems.push(`GET ${url} from the ${container} container answered ${answer.status}`);
      };
      await expectStatus('app', `${SIDECAR}/healthz`);
      await expectStatus('sidecar', `${APP}/healthz`);
      await expectStatus('sidecar', `http://${ip}:8080/healthz`);
      const sidecarOnPodIp = (await k().probe(name, 'app', 'connect', ip!, '9090')) as { ok: boolean; code?: string };
      if (sidecarOnPodIp.ok) problems.push(`the sidecar answers on the Pod IP ${ip}:9090: it should listen on 127.0.0.1 only`);
      assertCheck('loopback', problems);
      return `app → sidecar and sidecar → app on 127.0.0.1; app on ${ip}:8080; sidecar not on ${ip}:9090 (${sidecarOnPodIp.code})`;
    });

    if (chosen('c')) await report.step(`5c. queues: ${messages} messages through the request and reply queues`, () => checkRoundTrip(messages));

    if (chosen('d')) await report.step("5d. isolation: from another Pod, the queue does not exist and the sidecar's port is refused", async (progress) => {
      await ensureProbePod(k(), progress);
      const { ip } = current();
      const outside = (...args: string[]) => k().probe('podmates-probe', 'probe', ...args);
      assertCheck(
        'isolation',
        judgeIsolation({ queue: await outside('mq-open', '/podmates.requests', '10', '4096'), sidecarPort: await outside('connect', ip!, '9090'), sidecarAddress: `${ip}:9090` }),
      );
      const app = (await outside('connect', ip!, '8080')) as { ok: boolean };
      return `the app's ${ip}:8080 ${app.ok ? 'answers' : 'does not answer'} from the probe Pod`;
    });

    if (chosen('e')) await report.step('5e. resilience: messages sent while the sidecar restarts are processed after it', async (progress) => {
      const { name } = current();
      const restartsBefore = (await k().pod(name)).containers.find((container) => container.name === 'sidecar')!.restartCount;
      // Messages paced over a few seconds, while the sidecar is stopped underneath them.
      const sending = k().probe(name, 'app', 'roundtrip', APP, '100', '60000', '30') as Promise<{ delivered: Delivered[] }>;
      await new Promise((resolve) => setTimeout(resolve, 500));
      progress('stopping the sidecar process (SIGTERM to its PID 1)');
      await k().exec(name, 'sidecar', ['node', '-e', "process.kill(1, 'SIGTERM')"]).catch(() => undefined);
      const result = await sending;
      assertCheck('round trip across the restart', judgeRoundTrip(result, 100));
      await pollUntil(async () => (await k().pod(name)).containers.some((c) => c.name === 'sidecar' && c.restartCount > restartsBefore && c.ready), {
        timeoutMs: 60_000,
        what: 'the sidecar container to restart and become ready',
        progress,
      });
      const stoppedAt = Math.max(...eventTimes(await k().logs(name, 'sidecar', true), 'stopping'));
      // The new container drains the queue as soon as it starts, before it logs "ready".
      const readyAt = Math.min(...eventTimes(await k().logs(name, 'sidecar'), 'starting'));
      const during = result.delivered.filter((message) => Date.parse(message.sentAt) > stoppedAt && Date.parse(message.sentAt) < readyAt);
      const early = during.filter((message) => Date.parse(message.processedAt) < readyAt);
      const problems: string[] = [];
      if (!Number.isFinite(stoppedAt) || !Number.isFinite(readyAt)) problems.push('the sidecar logs do not show its stop and restart');
      else if (during.length === 0) problems.push(`no message was accepted during the ${readyAt - stoppedAt} ms the sidecar was down`);
      if (early.length > 0) problems.push(`${early.length} messages were processed before the sidecar restarted: impossible unless another consumer exists`);
      assertCheck('resilience', problems);
      return `sidecar down ${readyAt - stoppedAt} ms; ${during.length} messages accepted meanwhile waited in the Pod's queue and were processed after the restart`;
    });

    if (chosen('f')) await report.step('5f. native sidecar: the sidecar starts before the app, and the traffic checks pass', async (progress) => {
      const ready = await deploy(manifestPath('overlays/native-sidecar'), progress);
      const sidecarReady = Math.min(...eventTimes(await k().logs(ready.name, 'sidecar'), 'ready'));
      const appStarted = Math.min(...eventTimes(await k().logs(ready.name, 'app'), 'listening'));
      const problems = [...judgeNamespaces(((await k().probe(ready.name, 'app', 'http', 'GET', `${APP}/pod`)) as Http).body, POD_NAMESPACES)];
      if (!ready.initContainers.some((container) => container.name === 'sidecar' && container.started)) problems.push('the sidecar is not a started init container');
      if (!(sidecarReady < appStarted)) problems.push(`the sidecar was ready at ${new Date(sidecarReady).toISOString()}, not before the app started at ${new Date(appStarted).toISOString()}`);
      assertCheck('native sidecar', problems);
      return `sidecar ready ${appStarted - sidecarReady} ms before the app started; ${await checkRoundTrip(50)}`;
    });

    if (chosen('g')) await report.step('5g. clash: both containers on port 8080; one fails with exit 98, the other keeps running, the Pod is not Ready', async (progress) => {
      await k().deleteDeployment('podmates');
      const warnings = await k().apply(values.clash);
      deployed = values.clash;
      report.fact('API server warning on the clash', warnings.join(' ') || '(none)');
      progress('waiting for the losing container to fail and restart');
      let loser: PodStatus['containers'][number] | undefined;
      let clashPod: PodStatus | undefined;
      let readySince: number | null = null;
      await pollUntil(
        async () => {
          clashPod = await k().podByLabel(SELECTOR);
          loser = clashPod.containers.find((container) => container.restartCount >= 1 && container.lastState.terminated !== undefined);
          readySince = clashPod.ready ? (readySince ?? Date.now()) : null;
          return loser !== undefined || (readySince !== null && Date.now() - readySince > 5000);
        },
        { timeoutMs: 120_000, what: 'a container of the clash Pod to fail and restart', progress },
      );
      if (!loser) {
        throw new CheckFailed('clash', ['the Pod became Ready and stayed Ready with no container restarting: the two containers did not ask for the same port']);
      }
      const winner = clashPod!.containers.find((container) => container.name !== loser!.name)!;
      // The previous container's log can lag its status by a moment ("unable to retrieve container logs").
      let previous = '';
      await pollUntil(async () => (previous = await k().logs(clashPod!.name, loser!.name, true)).includes('"event"'), {
        timeoutMs: 15_000,
        what: `the ${loser!.name} container's previous log`,
      }).catch(() => undefined);
      const problems = judgeClash({ exitCode: loser!.lastState.terminated!.exitCode, output: previous, port: 8080 }, ExitCode.portInUse);
      if (!winner.state.running) problems.push(`the ${winner.name} container is not running: ${JSON.stringify(winner.state)}`);
      if ((await k().pod(clashPod!.name)).ready) problems.push('the Pod is Ready although one of its containers cannot start');
      if (!warnings.some((warning) => /port/i.test(warning))) problems.push('the API server gave no warning about the duplicate port');
      assertCheck('clash', problems);
      const waiting = loser!.state.waiting?.reason ?? 'restarting';
      return `${loser!.name} exited ${loser!.lastState.terminated!.exitCode} ("address already in use"), restarts ${loser!.restartCount}, ${waiting}; ${winner.name} running`;
    });

    const underLoad = messages * 10;
    if (chosen('h')) {
      if (cluster) {
        const kind = cluster;
        await report.step(`5h. crash: the sidecar, then the app, SIGKILLed under load (${underLoad} messages); nothing accepted is lost`, async (progress) =>
          crashUnderLoad(k(), kind, await baseDeployed(progress), underLoad, progress),
        );
      } else {
        report.fact('5h skipped', "SIGKILL of a container's PID 1 is sent from its node, which the demo reaches only on kind");
      }
    }

    if (chosen('i')) await report.step(`5i. rollout: kubectl rollout restart while ${underLoad} messages flow through the Service; nothing accepted is lost`, async (progress) =>
      rolloutUnderLoad(k(), await baseDeployed(progress), SELECTOR, underLoad, progress),
    );

    if (chosen('j')) await report.step('5j. replicas: five Pods of one UID on the node, each with its own queues, within the queue budget', async (progress) => {
      await baseDeployed(progress);
      const config = (await renderDirectory(values.base)).find((object) => object.kind === 'ConfigMap') as { data?: Record<string, string> } | undefined;
      const queue = { maxMessages: Number(config?.data?.QUEUE_MAX_MESSAGES ?? 10), messageSize: Number(config?.data?.QUEUE_MESSAGE_SIZE ?? 4096) };
      return fiveReplicas(k(), SELECTOR, queue, progress);
    });
  } catch (error) {
    if (!(error instanceof Aborted)) throw error;
  } finally {
    await cleanUp();
  }
  report.summary();
  if (values.junit) writeFileSync(values.junit, toJUnit(report.toJSON()));
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
