// One way between two processes, seen from the measuring side.

export interface Transport {
  /** Sends one request carrying `payload`; the peer sends it back. */
  send(payload: Buffer): void;
  /** Set by the harness: called once per reply, in order. */
  onReply: () => void;
}

export interface Channel {
  /** The measuring side (the app's role). */
  connect(): Promise<Transport>;
  /** The echo side (the sidecar's role): resolves once it is serving. */
  serve(window: number): Promise<void>;
}

export const noReply = (): void => {
  throw new Error('a reply arrived before the harness was listening');
};
