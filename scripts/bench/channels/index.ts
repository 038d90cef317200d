import type { ChannelName } from '../protocol.js';
import { httpChannel } from './http.js';
import { mqRawChannel } from './mq-raw.js';
import { mqChannel } from './mq.js';
import { redisChannel } from './redis.js';
import { tcpChannel, udsChannel, udsPathChannel } from './stream.js';
import type { Channel } from './transport.js';

/** The channels run by Node processes; the C limit is its own program (mq-limit.c). */
export const NODE_CHANNELS: Record<Exclude<ChannelName, 'c-limit'>, Channel> = {
  mq: mqChannel,
  'mq-raw': mqRawChannel,
  http: httpChannel,
  tcp: tcpChannel,
  uds: udsChannel,
  'uds-path': udsPathChannel,
  redis: redisChannel,
};
