// The soak's command line.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { positiveWholeNumber } from '../lib/cli.js';
import { PROJECT_ROOT } from '../lib/project.js';

export const USAGE = `usage: npm run soak -- [options]
  --minutes N   how long the load runs (default 10)
  --window N    messages in flight (default 8)
  --out DIR     where soak.json and memory.svg go (default artifacts/soak)
  --json        print the report as JSON on stdout (progress on stderr)`;

export interface SoakOptions {
  minutes: number;
  window: number;
  out: string;
  json: boolean;
}

/** The options, or 'help' for --help; a wrong number is an error that shows the usage. */
export function readOptions(argv: string[]): SoakOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      window: { type: 'string', default: '8' },
      out: { type: 'string', default: join(PROJECT_ROOT, 'artifacts/soak') },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  return {
    minutes: positiveWholeNumber('--minutes', values.minutes, USAGE),
    window: positiveWholeNumber('--window', values.window, USAGE),
    out: values.out,
    json: values.json,
  };
}
