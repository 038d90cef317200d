// A Pod with `hostUsers: false` (npm run demo:userns): its containers share a
// user namespace of the Pod's own, as they share its net and IPC namespaces,
// and UID 10001 inside is another UID on the node, from a range of 65,536 the
// kubelet gave this Pod alone. Compared with the node's own user namespace and
// the probe Pod's (hostUsers left at true), and with a second Pod of the same
// Deployment. The sandbox's pause holds it, with the net and IPC namespaces.
// The queue budget of such Pods is 5j's, run on them.
import { judgeUserNamespace, describeRange, parseUidMap, type ContainerUsers } from './judge.js';
import { assertCheck } from '../../../lib/check-failed.js';
import { NAMESPACE, type Kube } from '../../../lib/kube.js';
import { k8sOf, needsKubernetes, type Claim } from '../../context.js';
import { PROBE_POD } from '../../probe-pod.js';
import { byHand } from './by-hand.js';

/** What a container says of its users (its user namespace, its UID, its uid_map), and its net and IPC namespaces. */
async function usersOf(kube: Kube, pod: string, container: string): Promise<ContainerUsers> {
  const script = 'readlink /proc/self/ns/user /proc/self/ns/net /proc/self/ns/ipc; id -u; cat /proc/self/uid_map';
  const { stdout } = await kube.exec(pod, container, ['sh', '-c', script]);
  const [userns = '', net = '', ipc = '', uid = '', ...map] = stdout.trim().split('\n');
  return { userns, net, ipc, uid: Number(uid), uidMap: map.join('\n') };
}

export const step: Claim = {
  byHand,
  title: () =>
    "user namespace: with hostUsers: false both containers share one of the Pod's own, held by its sandbox, not the node's; UID 10001 inside is another UID on the node, a range no other Pod has",
  ownDeployment: { pods: 1, seconds: 20 },
  unavailable: (context) =>
    needsKubernetes(context) ??
    (!context.k8s!.userNamespaces
      ? 'it needs a Pod with hostUsers: false on a node whose runtime gives it a user namespace: run `npm run demo:userns`'
      : !context.k8s!.cluster
        ? 'it reads UIDs on the node, which the demo reaches on kind only'
        : null),
  run: async (context, progress) => {
    const { kube, cluster, base, own, basePod } = k8sOf(context);
    const pod = await basePod();
    const [app, sidecar] = await Promise.all([usersOf(kube, pod.name, 'app'), usersOf(kube, pod.name, 'sidecar')]);
    const outside = (await kube.exec(PROBE_POD, 'probe', ['readlink', '/proc/self/ns/user'])).stdout.trim();
    const node = pod.node ?? '';
    const appID = pod.containers.find((container) => container.name === 'app')?.containerID ?? '';
    const appOnNode = await cluster!.processUid(node, await cluster!.containerPid(node, appID));
    const sandboxPid = await cluster!.sandboxPid(node, NAMESPACE, pod.name);
    const sandbox = { pid: sandboxPid, ...(await cluster!.processNamespaces(node, sandboxPid)) };
    progress('a second Pod of the same Deployment, to compare its range');
    const second = await own.deploy(base, progress);
    const other = await usersOf(kube, second.name, 'app');
    const seen = { app, sidecar, node: (await cluster!.processNamespaces(node, 1)).user, outside, appOnNode, other, sandbox };
    assertCheck('user namespace', judgeUserNamespace(seen));
    const [range] = parseUidMap(app.uidMap)!;
    const [otherRange] = parseUidMap(other.uidMap)!;
    return (
      `app and sidecar in ${app.userns} (the node's: ${seen.node}; the probe Pod's: ${outside}), ` +
      `held with ${app.net} and ${app.ipc} by the sandbox's pause (pid ${sandbox.pid} on ${node}); ` +
      `uid_map ${describeRange(range!)}: UID ${app.uid} inside is ${appOnNode} on ${node} (its process there); ` +
      `a second Pod: ${other.userns}, ${describeRange(otherRange!)}`
    );
  },
};
