// The bench's command line; pure, unit-tested.
import { CHANNELS, isChannelName, isCReference, type ChannelName } from './protocol.js';

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
  --channels a,b          only these (the two C references always run): ${CHANNELS.filter((c) => !isCReference(c)).join(', ')}
  --nice N                run the bench's processes at niceness N (-20..19; default 0)
  --out DIR               where bench.json and latency.svg go (default artifacts/bench)
  --target compose,kind   also between the two containers of the compose Pod and/or the kind Pod (client in the
                          app's, echo peer in the sidecar's; every channel but Redis), in the same rounds as the
                          namespace box (always measured), side by side; the kind Pod within its CPU and memory limits
  --cluster NAME          the kind cluster for --target kind (default podmates): used if it exists, else created and deleted`;

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { targets: [], cluster: 'podmates', smoke: false, json: false, rounds: null, outDir: 'artifacts/bench', channels: null, nice: 0, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--smoke':
        args.smoke = true;
        break;
      case '--json':
        args.json = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--rounds': {
        const rounds = Number(value());
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds must be an integer from 1 to 10');
        args.rounds = rounds;
        break;
      }
      case '--nice': {
        const nice = Number(value());
        if (!Number.isInteger(nice) || nice < -20 || nice > 19) throw new Error('--nice must be an integer from -20 to 19');
        args.nice = nice;
        break;
      }
      case '--out':
        args.outDir = value();
        break;
      case '--target': {
        const targets = value().split(',').filter((target) => target !== 'box');
        const unknown = targets.filter((target) => target !== 'compose' && target !== 'kind');
        if (unknown.length > 0) throw new Error(`--target takes compose, kind or both (compose,kind), not ${JSON.stringify(unknown.join(','))}`);
        args.targets = [...new Set(targets as Array<'compose' | 'kind'>)];
        break;
      }
      case '--cluster':
        args.cluster = value();
        break;
      case '--channels': {
        const names = value().split(',').filter((name) => name !== '');
        const unknown = names.filter((name) => !isChannelName(name));
        if (unknown.length > 0) throw new Error(`unknown channel ${unknown.join(', ')}; known: ${CHANNELS.join(', ')}`);
        args.channels = CHANNELS.filter((name) => isCReference(name) || names.includes(name));
        break;
      }
      default:
        throw new Error(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

/** The channels a run measures, in the order of the report; the C references always. */
export function selectedChannels(args: Pick<BenchArgs, 'channels' | 'smoke'>): ChannelName[] {
  if (args.channels) return args.channels;
  return CHANNELS.filter((name) => !(args.smoke && name === 'mq-raw'));
}

/** Round r runs the channels starting at a different one, so a slow spell of the machine is spread over all of them. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  if (items.length === 0) return [];
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
