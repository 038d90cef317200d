// Every channel the bench measures, in one ordered list: the order of the
// report's rows, of the chart's legend and of --channels (the C references
// first, then the order). Each channel's own file carries its name,
// label, colour and code; adding one is that file and one entry here, and
// everything below is derived from the list.
import { cBusy, cLimit } from './c-references.js';
import { httpChannel } from './http.js';
import { mqRawChannel } from './mq-raw.js';
import { mqChannel } from './mq.js';
import { redisChannel } from './redis.js';
import { tcpChannel, udsChannel, udsPathChannel } from './stream.js';
import type { Channel, ChannelInfo } from './transport.js';

export const CHANNELS = [
  cLimit,
  cBusy,
  mqChannel,
  mqRawChannel,
  httpChannel,
  tcpChannel,
  udsChannel,
  udsPathChannel,
  redisChannel,
] as const;

type Row = (typeof CHANNELS)[number];
export type ChannelName = Row['name'];
/** The channels run by Node processes (client.js, peer.js): those with code to connect and serve. */
export type NodeChannelName = Extract<Row, Channel>['name'];
/** The rest: the C references, run by their own program (mq-limit.c). */
export type CReference = Exclude<ChannelName, NodeChannelName>;

export const CHANNEL_NAMES = CHANNELS.map((channel) => channel.name);

/** The Node channels by name, for client.js and peer.js, which get the name in their argv. */
export const NODE_CHANNELS: ReadonlyMap<string, Channel> = new Map(
  CHANNELS.filter((channel) => 'connect' in channel).map((channel) => [channel.name, channel]),
);

export const isChannelName = (value: string): value is ChannelName => CHANNEL_NAMES.some((name) => name === value);
export const isCReference = (name: ChannelName): name is CReference => !NODE_CHANNELS.has(name);

/** A channel's row as the report and the chart show it: its label and colour. */
export function channelInfo(name: ChannelName): ChannelInfo {
  const row = CHANNELS.find((channel) => channel.name === name);
  // Unreachable while ChannelName is derived from CHANNELS; a Record built from the list would need a cast instead.
  if (!row) throw new Error(`no bench channel is named ${name}`);
  return row;
}
