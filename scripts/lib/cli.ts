/** A `--flag N` value that must be a positive whole number; the error shows the usage. */
export function positiveWholeNumber(flag: string, value: string, usage: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`${flag} must be a positive whole number, got ${JSON.stringify(value)}\n${usage}`);
  return parsed;
}
