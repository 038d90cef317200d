// The containers of a Pod share the sandbox's net, ipc and uts namespaces
// and keep their own pid and mnt namespaces: compare /proc/self/ns/* of both.
// The detail shows cgroup, user and time too, which the node decides (see
// apps/shared/namespaces.ts); the summary says which cgroup namespace this
// node gives and why.
import { checkNamespaces } from '../../in-pod.js';
import type { Claim } from '../../context.js';
import { byHand } from './by-hand.js';

export const step: Claim = {
  byHand,
  title: (context) => {
    const { shared, separate } = context.expectedNamespaces;
    return `namespaces: ${shared.join(', ')} shared; ${separate.join(' and ')} separate`;
  },
  run: async (context, progress) => {
    const target = await context.target(progress);
    const { verdict, seen } = await checkNamespaces(target, context.expectedNamespaces);
    // The HTML report draws the Pod from it.
    context.measured(seen);
    const { version } = await target.probe('app').cgroup();
    const cgroup = seen.app.cgroup;
    context.fact(
      'cgroup namespace',
      version === 2
        ? `${cgroup}: a cgroup v2 node, where the runtime gives each container a cgroup namespace of its own`
        : `${cgroup}: a cgroup v1 node, where containers get no cgroup namespace and stay in the node's (each is still a cgroup of its own, with its own limits)`,
    );
    return verdict;
  },
};
