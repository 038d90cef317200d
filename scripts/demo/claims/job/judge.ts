// 5v's judge: a Job completes when its native sidecars are stopped for it,
// and never does while regular sidecar containers run on.

/** How one Job's Pod ended, or stood when the step stopped waiting. */
export interface JobSeen {
  job: string;
  /** The Job's Complete condition is True. */
  complete: boolean;
  /** `work`'s exit code, once it exited. */
  workExit: number | undefined;
  /** The Pod's containers still running (native sidecars included) when the step looked. */
  running: string[];
}

export interface JobsSeen {
  native: JobSeen;
  regular: JobSeen;
  /** How long the step watched the regular Job after `work` had exited. */
  watchedMs: number;
}

export function judgeJobs({ native, regular, watchedMs }: JobsSeen): string[] {
  const problems: string[] = [];
  for (const seen of [native, regular]) {
    if (seen.workExit !== 0)
      problems.push(`${seen.job}: work ${seen.workExit === undefined ? 'never exited' : `exited ${seen.workExit}`}, not 0`);
  }
  if (!native.complete) problems.push(`${native.job} did not complete: its sidecars were not stopped after work exited`);
  if (native.running.length > 0) problems.push(`${native.job}: ${native.running.join(', ')} still running after the Job ended`);
  if (regular.complete)
    problems.push(
      `${regular.job} completed: its regular sidecar containers exited by themselves, so the contrast this step shows did not happen`,
    );
  else if (!['app', 'sidecar'].every((name) => regular.running.includes(name)))
    problems.push(
      `${regular.job}: app and sidecar should still run ${Math.round(watchedMs / 1000)} s after work exited, running: ${regular.running.join(', ') || 'none'}`,
    );
  return problems;
}
