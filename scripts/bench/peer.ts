// The echo side, run inside the namespaces: `node peer.js <channel> <window>`.
// Prints "ready" once it serves, then runs until it is killed; in a container
// (BENCH_EXIT_ON_STDIN_END, set by compose-sides.ts) until its stdin ends,
// since killing the `docker exec` that started it does not reach it.
import { NODE_CHANNELS } from './channels/index.js';

// No name is the empty one, which no channel has.
const [name = '', window] = process.argv.slice(2);
const channel = NODE_CHANNELS.get(name);
if (!channel) {
  process.stderr.write(`usage: peer.js <${[...NODE_CHANNELS.keys()].join('|')}> [window]\n`);
  process.exit(2);
}
await channel.serve(Number(window ?? 1) || 1);
process.stdout.write('ready\n');
if (process.env.BENCH_EXIT_ON_STDIN_END) process.stdin.on('end', () => process.exit(0)).resume();
// Keeps the process alive whatever the channel holds (a channel with nothing to wait for may hold no handle).
setInterval(() => {}, 1 << 30);
