// 5a. The containers of a Pod share the sandbox's net, ipc and uts namespaces
// and keep their own pid and mnt namespaces: compare /proc/self/ns/* of both.
// The detail shows cgroup, user and time too, which the node decides (see
// apps/shared/namespaces.ts).
import { checkNamespaces } from '../in-pod.js';
import type { Step } from '../context.js';

export const step: Step = {
  id: '5a',
  title: (context) => {
    const { shared, separate } = context.expectedNamespaces;
    return `namespaces: ${shared.join(', ')} shared; ${separate.join(' and ')} separate`;
  },
  run: async (context, progress) => checkNamespaces(await context.target(progress), context.expectedNamespaces),
};
