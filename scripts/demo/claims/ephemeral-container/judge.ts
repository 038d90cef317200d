// 5r's judge: a debug container joins the Pod's namespaces, and with --target one container's pids.
import type { ProcessSeen, Survey } from '../../../../apps/probe/contract.js';

/** The probe's `survey`, as far as this judge reads it. */
type Surveyed = Omit<Survey, 'namespaces' | 'processes'> & {
  namespaces: Record<string, string>;
  processes: Array<Pick<ProcessSeen, 'command'>>;
};

/**
 * An ephemeral container joins the Pod's net and IPC namespaces (it reaches
 * the sidecar's loopback port and opens the queue); with --target it joins
 * that container's pid namespace and sees its process, without it has its own.
 */
export function judgeEphemeral(seen: { app: Record<string, string>; targeted: Surveyed; alone: Surveyed }): string[] {
  const problems: string[] = [];
  for (const [label, survey] of [
    ['with --target app', seen.targeted],
    ['without --target', seen.alone],
  ] as const) {
    for (const kind of ['net', 'ipc'] as const) {
      if (survey.namespaces[kind] !== seen.app[kind])
        problems.push(`the debug container ${label} is in ${survey.namespaces[kind]}, not the Pod's ${seen.app[kind]}`);
    }
    if (!survey.loopback.ok)
      problems.push(`the debug container ${label} cannot reach the sidecar on 127.0.0.1:9090 (${survey.loopback.code})`);
    if (!survey.queue.ok) problems.push(`the debug container ${label} cannot open the Pod's queue: ${survey.queue.error}`);
  }
  const seesApp = (survey: Surveyed) => survey.processes.some((process) => process.command.includes('dist/apps/app/main.js'));
  if (seen.targeted.namespaces.pid !== seen.app.pid || !seesApp(seen.targeted))
    problems.push(
      `the debug container with --target app is not in the app's pid namespace (${seen.targeted.namespaces.pid}, the app's ${seen.app.pid}) or does not see its process`,
    );
  if (seen.alone.namespaces.pid === seen.app.pid || seesApp(seen.alone))
    problems.push("the debug container without --target shares the app's pid namespace: it should have its own");
  return problems;
}
