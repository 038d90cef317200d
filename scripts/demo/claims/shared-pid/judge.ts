// 5p's judge: with shareProcessNamespace, one pid namespace for the whole Pod.
import type { ProcessSeen } from '../../../../apps/probe/contract.js';
import { judgeNamespaces } from '../../judges/namespaces.js';

type Process = Pick<ProcessSeen, 'pid' | 'command'>;

/** shareProcessNamespace: one pid namespace, the sandbox's pause as PID 1, and each container's processes visible to the other. */
export function judgeSharedPid(seen: { pod: unknown; app: Process[]; sidecar: Process[] }): string[] {
  const problems = judgeNamespaces(seen.pod, { shared: ['net', 'ipc', 'uts', 'pid'], separate: ['mnt'] });
  const first = seen.app.find((process) => process.pid === 1);
  if (!first || !/(^|\/)pause( |$)/.test(first.command))
    problems.push(`PID 1 in the app's container is ${first ? JSON.stringify(first.command) : 'missing'}, not the sandbox's pause`);
  const runs = (list: Process[], service: string) => list.some((process) => process.command.includes(`dist/apps/${service}/main.js`));
  if (!runs(seen.app, 'sidecar')) problems.push("the app's container does not see the sidecar's process");
  if (!runs(seen.sidecar, 'app')) problems.push("the sidecar's container does not see the app's process");
  return problems;
}
