// JSON from another process (the probe's output, an app's answer) cannot be
// taken on trust (a broken Pod answers anything): a reader looks before it
// reads.
type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
