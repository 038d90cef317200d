// The measuring process, run inside the namespaces: `node client.js <channel> <plan-json>`.
// Prints one ClientResult as JSON on stdout.
import { NODE_CHANNELS } from './channels/index.js';
import { measure } from './measure.js';
import { makePayload, type ClientResult, type RunPlan } from './protocol.js';

// No name is the empty one, which no channel has.
const [name = '', planJson] = process.argv.slice(2);
const channel = NODE_CHANNELS.get(name);
if (!channel || !planJson) {
  process.stderr.write(`usage: client.js <${[...NODE_CHANNELS.keys()].join('|')}> <plan-json>\n`);
  process.exit(2);
}

const plan = JSON.parse(planJson) as RunPlan;
const transport = await channel.connect();
const results = await measure(transport, plan, makePayload);
const result: ClientResult = { results, clientPeakRssKiB: process.resourceUsage().maxRSS };
channel.cleanUp?.();
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
