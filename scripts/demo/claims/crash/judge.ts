// 5h's judge of what a SIGKILL restarts: the kubelet restarts the container
// that died, alone. The other container keeps its process, and the Pod keeps
// its sandbox (so its network namespace, its queues and its emptyDir).

/** One run of a container: the runtime's id and when it started. */
export interface ContainerRun {
  id: string;
  startedAt: string;
}

export interface KillSeen {
  killed: string;
  /** The Pod's other container, before the kill and once the killed one was Ready again. */
  other: string;
  before: ContainerRun;
  after: ContainerRun;
}

/** The sandbox's network namespace (net:[inode]), seen from the app at the start and at the end. */
export interface SandboxSeen {
  before: string;
  after: string;
}

export function judgeRestartAlone(kills: KillSeen[], sandbox: SandboxSeen): string[] {
  const problems = kills
    .filter(({ before, after }) => before.id !== after.id || before.startedAt !== after.startedAt)
    .map(
      ({ killed, other, before, after }) =>
        `the SIGKILL of the ${killed} restarted the ${other} too: its run went from ${before.id} (started ${before.startedAt}) ` +
        `to ${after.id} (started ${after.startedAt})`,
    );
  if (sandbox.before !== sandbox.after)
    problems.push(`the Pod's sandbox was re-created: its network namespace was ${sandbox.before}, then ${sandbox.after}`);
  return problems;
}
