// The echo side, run inside the namespaces: `node peer.js <channel> <window>`.
// Prints "ready" once it serves, then runs until it is killed.
import { NODE_CHANNELS } from './channels/index.js';

const [name, window] = process.argv.slice(2);
const channel = NODE_CHANNELS[name as keyof typeof NODE_CHANNELS];
if (!channel) {
  process.stderr.write(`usage: peer.js <${Object.keys(NODE_CHANNELS).join('|')}> [window]\n`);
  process.exit(2);
}
await channel.serve(Number(window ?? 1) || 1);
process.stdout.write('ready\n');
// Keeps the process alive whatever the channel holds (a queue's poll does not: the patched addon unrefs it).
setInterval(() => {}, 1 << 30);
