// A check that found problems: the report shows its name and each problem,
// worded to say what broke. Every judge returns the problems; a step asserts.
export class CheckFailed extends Error {
  constructor(
    readonly check: string,
    readonly problems: string[],
  ) {
    super(`${check}: ${problems.join('; ')}`);
  }
}

export function assertCheck(check: string, problems: string[]): void {
  if (problems.length > 0) throw new CheckFailed(check, problems);
}
