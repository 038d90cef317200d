// One way between two processes, seen from the measuring side.
import { randomUUID } from 'node:crypto';
import { encodeRequest, type RequestEnvelope } from '../../../apps/shared/envelope.js';

export interface Transport {
  /** Sends one request carrying `payload`; the peer sends it back. */
  send(payload: Buffer): void;
  /** Set by the harness: called once per reply, in order. */
  onReply: () => void;
}

/** What the report and the chart show of a channel: every row has one, the C references included. */
export interface ChannelInfo<Name extends string = string> {
  /** Its name on the command line (--channels) and in bench.json. */
  readonly name: Name;
  /** Its row in the table and bench.json, and its entry in latency.svg's legend. */
  readonly label: string;
  /** Its curve in latency.svg. */
  readonly colour: string;
}

/** A channel run by Node processes: client.js measures through connect(), peer.js echoes through serve(). */
export interface Channel<Name extends string = string> extends ChannelInfo<Name> {
  /** The measuring side (the app's role). */
  connect(): Promise<Transport>;
  /** The echo side (the sidecar's role): resolves once it is serving. */
  serve(window: number): Promise<void>;
  /** Called by the client after its last measurement, for what would outlast the run (a queue's name and memory). */
  cleanUp?(): void;
}

export const noReply = (): void => {
  throw new Error('a reply arrived before the harness was listening');
};

/** The bench sends one payload many times: what a channel derives from it is computed once per payload. */
export function perPayload<T>(derive: (payload: Buffer) => T): (payload: Buffer) => T {
  let last: Buffer | null = null;
  let value: T;
  return (payload) => {
    if (payload !== last) {
      last = payload;
      value = derive(payload);
    }
    return value;
  };
}

/** A request around `text`, made as the app makes one (new id, sentAt now); `encode` as the channel carries it. */
export function newRequest(text: string, encode: (request: RequestEnvelope) => Buffer = encodeRequest): { id: string; envelope: Buffer } {
  const id = randomUUID();
  return { id, envelope: encode({ id, sentAt: new Date().toISOString(), text }) };
}
