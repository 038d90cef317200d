// The probe's output is JSON from another process: a judge that reads an
// answer whose shape it cannot take on trust (a broken Pod answers anything)
// looks before it reads.
type Json = Record<string, unknown>;
export const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
