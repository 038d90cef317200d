// 5v's judge: a Job completes when its native sidecars are stopped for it,
// and never does while regular sidecar containers run on.
import { firstAt, type LifecycleLine } from '../../../../apps/shared/lifecycle.js';

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

/**
 * With two native sidecars (the sidecar, then the app) the kubelet stops them
 * in the reverse order of their start, once the work has exited: the app
 * gets SIGTERM first, the sidecar after it. From the native Job's lines.
 */
export function judgeReverseStop(lines: LifecycleLine[]): string[] {
  const at = (container: string, event: LifecycleLine['event']) => firstAt(lines, container, event);
  const [sidecarStart, appStart, workExit] = [at('sidecar', 'starting'), at('app', 'starting'), at('work', 'exiting')];
  const [appStop, sidecarStop] = [at('app', 'stopping'), at('sidecar', 'stopping')];
  if (sidecarStart === undefined || appStart === undefined || sidecarStart > appStart)
    return ['the sidecar did not start before the app: the start order this check reverses is not there'];
  if (appStop === undefined || sidecarStop === undefined) return ['the app or the sidecar never logged its SIGTERM ("stopping")'];
  if (workExit !== undefined && appStop < workExit) return ['the app got SIGTERM before the work had exited'];
  if (sidecarStop < appStop)
    return [`the sidecar got SIGTERM ${appStop - sidecarStop} ms before the app: not the reverse of their start order (sidecar, then app)`];
  return [];
}
