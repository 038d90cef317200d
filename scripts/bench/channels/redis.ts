// Redis on 127.0.0.1 as a queue between the two processes: the client RPUSHes
// requests and BLPOPs replies; the peer BLPOPs requests and RPUSHes them back.
// Each side keeps one connection for pushes and one for blocking pops.
import { ENDPOINTS } from '../protocol.js';
import { encodeCommand, RespConnection, RespError, type RespValue } from '../resp.js';
import { noReply, perPayload, type Channel, type Transport } from './transport.js';

const REQUESTS = 'podmates:bench:requests';
const REPLIES = 'podmates:bench:replies';
const POP_REQUEST = encodeCommand(['BLPOP', REQUESTS, '0']);
const POP_REPLY = encodeCommand(['BLPOP', REPLIES, '0']);

function popped(value: RespValue): Buffer {
  if (!Array.isArray(value) || !Buffer.isBuffer(value[1])) {
    throw new RespError(`BLPOP answered ${value instanceof Error ? value.message : JSON.stringify(value)}`);
  }
  return value[1];
}

const checkPush = (value: RespValue) => {
  if (typeof value !== 'number') throw new RespError(`RPUSH answered ${String(value)}`);
};

export const redisChannel: Channel<'redis'> = {
  name: 'redis',
  label: 'Redis 127.0.0.1',
  colour: '#8c564b',

  async connect(): Promise<Transport> {
    const pusher = await RespConnection.open(ENDPOINTS.redisPort);
    const popper = await RespConnection.open(ENDPOINTS.redisPort);
    await pusher.call('DEL', REQUESTS, REPLIES);
    let size = 0;
    const pushOf = perPayload((payload) => encodeCommand(['RPUSH', REQUESTS, payload]));
    const onPop = (value: RespValue) => {
      if (popped(value).length !== size) throw new RespError('echo of another size');
      transport.onReply();
    };
    const transport: Transport = {
      onReply: noReply,
      send(payload) {
        size = payload.length;
        pusher.send(pushOf(payload), checkPush);
        // One blocking pop per message in flight: Redis serves them in order.
        popper.send(POP_REPLY, onPop);
      },
    };
    return transport;
  },

  async serve(window: number): Promise<void> {
    const pusher = await RespConnection.open(ENDPOINTS.redisPort);
    const popper = await RespConnection.open(ENDPOINTS.redisPort);
    const onPop = (value: RespValue) => {
      pusher.send(encodeCommand(['RPUSH', REPLIES, popped(value)]), checkPush);
      popper.send(POP_REQUEST, onPop);
    };
    for (let i = 0; i < window; i++) popper.send(POP_REQUEST, onPop);
  },
};
