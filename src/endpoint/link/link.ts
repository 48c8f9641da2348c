/**
 * One interface for every way bytes travel between two endpoints (smoltcp's phy::Device):
 * a UDP socket, a TCP stream, the simulated wire; and the wrappers (impair, record) are
 * Links around Links, composable in any order.
 */

export interface Link {
  /** 'datagram': each send is one datagram; 'stream': sends are concatenated into one byte stream. */
  readonly kind: 'datagram' | 'stream';
  /** "ip:port" of this end, and of the peer (for recordings); the peer may be learned late. */
  readonly local: string;
  readonly remote: string;
  send(bytes: Buffer): void;
  /** Set by the user of the link; called once per datagram or stream chunk. */
  onReceive: (bytes: Buffer) => void;
  close(): void;
}

/**
 * Splits "ip:port" or "[v6]:port".
 *
 * @example splitEndpoint('127.0.0.1:41194') // { host: '127.0.0.1', port: 41194 }
 */
export function splitEndpoint(s: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:]+):(\d+)$/.exec(s);
  if (!m) throw new RangeError(`not HOST:PORT: ${JSON.stringify(s)}`);
  const port = Number(m[2]);
  if (!(port >= 0 && port <= 65535)) throw new RangeError(`port out of range in ${s}`);
  return { host: m[1], port };
}
