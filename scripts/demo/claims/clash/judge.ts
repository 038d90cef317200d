// 5g's judge (and the compose Pod's clash): a second listener on a taken port fails as documented.
export interface ClashObservation {
  exitCode: number | null;
  output: string;
  port: number;
}

/** A second listener on a port of the same network namespace must fail loudly with the documented code. */
export function judgeClash(seen: ClashObservation, expectedExitCode: number): string[] {
  const problems: string[] = [];
  if (seen.exitCode === 0 || seen.exitCode === null) {
    problems.push(
      `the clashing container did not fail (exit code ${String(seen.exitCode)}): port ${seen.port} is not held by another process of the same network namespace`,
    );
  } else if (seen.exitCode !== expectedExitCode) {
    problems.push(`the clashing container exited with ${seen.exitCode}, expected ${expectedExitCode} (port in use)`);
  }
  if (!seen.output.includes('address already in use')) {
    const last = seen.output.trim().split('\n').at(-1) ?? '';
    problems.push(
      `the clashing container's log does not say "address already in use" for port ${seen.port} (last line: ${last === '' ? 'none' : last})`,
    );
  }
  return problems;
}
