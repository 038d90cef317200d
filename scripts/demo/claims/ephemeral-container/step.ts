// An ephemeral container, what `kubectl debug` adds to a running Pod,
// joins the Pod's sandbox like any other container: it reaches the sidecar's
// 127.0.0.1:9090 and opens the Pod's queue. With --target=app it also joins
// the app's pid namespace and sees its process (and, same UID, its
// /proc/<pid>/root); without it, it has a pid namespace of its own. The
// namespace enforces Pod Security "restricted", so the debug container runs
// with the "restricted" profile: non-root, no capabilities.
import { randomUUID } from 'node:crypto';
import { probeClient } from '../../../../apps/probe/client.js';
import { PROBE_COMMAND, REQUEST_QUEUE } from '../../../../apps/probe/contract.js';
import { judgeEphemeral } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { k8sOf, needsKubernetesFor, type Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: () => "ephemeral container: kubectl debug joins the Pod's net and IPC, and with --target the app's processes",
  unavailable: needsKubernetesFor(
    "ephemeral containers are the kubelet's (with Docker, `docker run --network container:… --ipc container:… --pid container:…` joins by hand)",
  ),
  run: async (context, progress) => {
    const { kube, basePod } = k8sOf(context);
    const pod = await basePod();
    const suffix = randomUUID().slice(0, 5);
    progress('kubectl debug --profile=restricted --target=app, then without --target');
    // The probe in a debug container of its own, made for the one call.
    const debug = (name: string, target?: string) =>
      probeClient(async (words) => JSON.parse(await kube.runEphemeral(pod.name, name, [...PROBE_COMMAND, ...words], target)) as unknown);
    const targeted = await debug(`debug-app-${suffix}`, 'app').survey(...REQUEST_QUEUE, 9090);
    const alone = await debug(`debug-${suffix}`).survey(...REQUEST_QUEUE, 9090);
    const { namespaces: app } = await kube.probe(pod.name, 'app').ns();
    assertCheck('ephemeral container', judgeEphemeral({ app, targeted, alone }));
    return (
      `with --target app: ${targeted.namespaces.pid} like the app, ${targeted.processes.length} processes seen, the app's among them; ` +
      `without: its own ${alone.namespaces.pid}, ${alone.processes.length} process; both reached 127.0.0.1:9090 and opened /podmates.requests`
    );
  },
};
