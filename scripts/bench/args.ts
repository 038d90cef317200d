// The bench's command line; pure, unit-tested.
import { parseArgs as parseOptions } from 'node:util';
import { CHANNEL_NAMES, isChannelName, isCReference, NODE_CHANNELS, type ChannelName } from './channels/index.js';

export interface BenchArgs {
  /** Pods measured beside the namespace box, which always runs. */
  targets: Array<'compose' | 'kind'>;
  /** The kind cluster for --target kind: used if it exists, else created and deleted. */
  cluster: string;
  smoke: boolean;
  json: boolean;
  rounds: number | null;
  outDir: string;
  /** null: all of them, except the calibration row mq-raw in a smoke run. */
  channels: ChannelName[] | null;
  /** Niceness of every process of the bench (negative: ahead of a busy machine's other work). */
  nice: number;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --smoke                 seconds: small counts, one round, no mq-raw row (what CI runs)
  --json                  print the JSON report on stdout (the table goes to stderr)
  --rounds N              interleaved rounds, pooled (default 5; --smoke 1)
  --channels a,b          only these (the two C references always run): ${[...NODE_CHANNELS.keys()].join(', ')}
  --nice N                run the bench's processes at niceness N (-20..19; default 0; a negative one as --nice=-5)
  --out DIR               where bench.json and latency.svg go (default artifacts/bench)
  --target compose,kind   also between the two containers of the compose Pod and/or the kind Pod (client in the
                          app's, echo peer in the sidecar's; every channel but Redis), in the same rounds as the
                          namespace box (always measured), side by side; the kind Pod within its CPU and memory limits
  --cluster NAME          the kind cluster for --target kind (default podmates): used if it exists, else created and deleted`;

/** A whole number from min to max, or an error naming the flag. */
function integerIn(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${flag} must be an integer from ${min} to ${max}`);
  return value;
}

function targetsOf(text: string): BenchArgs['targets'] {
  const targets = text.split(',').filter((target) => target !== 'box');
  const unknown = targets.filter((target) => target !== 'compose' && target !== 'kind');
  if (unknown.length > 0) throw new Error(`--target takes compose, kind or both (compose,kind), not ${JSON.stringify(unknown.join(','))}`);
  return [...new Set(targets as BenchArgs['targets'])];
}

function channelsOf(text: string): ChannelName[] {
  const names = text.split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !isChannelName(name));
  if (unknown.length > 0) throw new Error(`unknown channel ${unknown.join(', ')}; known: ${CHANNEL_NAMES.join(', ')}`);
  return CHANNEL_NAMES.filter((name) => isCReference(name) || names.includes(name));
}

/** The command line through node:util's parser (unknown options and missing values are its errors), then checked. */
export function parseArgs(argv: string[]): BenchArgs {
  const { values } = parseOptions({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      rounds: { type: 'string' },
      nice: { type: 'string' },
      out: { type: 'string', default: 'artifacts/bench' },
      target: { type: 'string' },
      cluster: { type: 'string', default: 'podmates' },
      channels: { type: 'string' },
    },
  });
  // "--out=" parses as an empty value: as good as none.
  for (const [name, value] of Object.entries(values)) if (value === '') throw new Error(`--${name} needs a value`);
  return {
    targets: values.target === undefined ? [] : targetsOf(values.target),
    cluster: values.cluster,
    smoke: values.smoke,
    json: values.json,
    rounds: values.rounds === undefined ? null : integerIn('--rounds', values.rounds, 1, 10),
    outDir: values.out,
    channels: values.channels === undefined ? null : channelsOf(values.channels),
    nice: values.nice === undefined ? 0 : integerIn('--nice', values.nice, -20, 19),
    help: values.help,
  };
}

/** The channels a run measures, in the order of the report; the C references always. */
export function selectedChannels(args: Pick<BenchArgs, 'channels' | 'smoke'>): ChannelName[] {
  if (args.channels) return args.channels;
  return CHANNEL_NAMES.filter((name) => !(args.smoke && name === 'mq-raw'));
}

/** Round r runs the channels starting at a different one, so a slow spell of the machine is spread over all of them. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
