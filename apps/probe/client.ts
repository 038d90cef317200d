// Typed calls to the probe CLI: `client.http('GET', url)` runs
// `probe http GET url` wherever `run` reaches (kubectl exec, docker exec,
// nsenter) and returns the result the contract promises for that verb.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cliWord, SAFE_TO_ASK_AGAIN, VERB_USAGE, type ProbeArgs, type ProbeOptions, type ProbeResult, type Verb } from './contract.js';

/** Runs the probe with these words after its command line and returns its parsed JSON; throws AnswerLost when it printed nothing. */
export type ProbeRunner = (words: string[]) => Promise<unknown>;

/** The probe's run ended without its answer: the stream that carried it was cut, not the probe's doing. */
export class AnswerLost extends Error {}

export type ProbeClient = { [V in Verb]: (...args: ProbeArgs<V>) => Promise<ProbeResult<V>> };

/** The options as the CLI takes them, before the verb. */
function optionWords(options: ProbeOptions): string[] {
  return [
    ...(options.when ? ['--when', options.when.join(',')] : []),
    ...(options.then ? ['--then', options.then] : []),
    ...(options.ready ? ['--ready', options.ready] : []),
    ...(options.until ? ['--until', options.until] : []),
  ];
}

/** The arguments as words: an optional one left out at the end is no word at all. */
function argumentWords(verb: Verb, args: readonly unknown[]): string[] {
  const given = args.slice(0, args.findLastIndex((arg) => arg !== undefined) + 1);
  if (given.includes(undefined)) throw new Error(`probe ${cliWord(verb)}: an argument left out before one given`);
  return given.map(String);
}

/**
 * A verb's output read elsewhere (a container's log): what the contract says
 * it prints, without the log lines a probe that is a container's main process
 * writes beside it (its start and exit, with a "level" and an "event").
 */
export function readProbeOutput<V extends Verb>(_verb: V, output: string): ProbeResult<V> {
  const isLogLine = (line: string) => line.startsWith('{"ts":') && line.includes('"level":') && line.includes('"event":');
  const printed = output
    .split('\n')
    .filter((line) => !isLogLine(line))
    .join('\n');
  return JSON.parse(printed) as ProbeResult<V>;
}

export function probeClient(run: ProbeRunner, options: ProbeOptions = {}): ProbeClient {
  const before = optionWords(options);
  // Once more when the answer was lost and a second run changes nothing; not
  // with handshake files (options): the second run would wait on them forever.
  const ask = async <V extends Verb>(verb: V, args: ProbeArgs<V>) => {
    const words = [...before, cliWord(verb), ...argumentWords(verb, args)];
    try {
      return await run(words);
    } catch (error) {
      const rule = SAFE_TO_ASK_AGAIN[verb];
      const safe = typeof rule === 'function' ? rule(...args) : rule;
      if (!(error instanceof AnswerLost) || !safe || before.length > 0) throw error;
      return run(words);
    }
  };
  const call =
    <V extends Verb>(verb: V) =>
    (...args: ProbeArgs<V>) =>
      // The JSON is the probe's own output for this verb: the contract is the
      // one place that says its shape, and main.ts is checked against it.
      ask(verb, args) as Promise<ProbeResult<V>>;
  return Object.fromEntries((Object.keys(VERB_USAGE) as Verb[]).map((verb) => [verb, call(verb)])) as ProbeClient;
}

/**
 * Files by which probes in two containers wait for each other (the options
 * --ready, --until, --when, --then), named afresh in `folder`, which both
 * containers must see: no guessed sleeps between execs, which take seconds to
 * start under load.
 */
export function handshakeFiles<Name extends string>(folder: string, names: readonly Name[]): Record<Name, string> {
  const run = `podmates-${randomUUID().slice(0, 8)}`;
  return Object.fromEntries(names.map((name) => [name, join(folder, `${run}-${name}`)])) as Record<Name, string>;
}
