/**
 * A Link over a UDP socket. Bound to 127.0.0.1 unless told otherwise. With a fixed peer,
 * datagrams from anyone else are counted and ignored; without one (a receiver), the first
 * sender becomes the peer and everyone else is ignored.
 */
import dgram from 'node:dgram';
import { formatEndpoint } from './endpoint_text.js';
import type { Link } from './link.js';

export interface UdpLinkOptions {
  /** Local address and port (default 127.0.0.1, port 0 = any). */
  host?: string;
  port?: number;
  /** The peer, if known in advance. */
  peer?: { host: string; port: number };
}

export class UdpLink implements Link {
  readonly kind = 'datagram' as const;
  onReceive: (bytes: Buffer) => void = () => {};
  /** Datagrams from unexpected sources, ignored. */
  strangers = 0;
  /** Called once when the peer is learned (receivers). */
  onPeer: (peer: string) => void = () => {};
  private peer: { host: string; port: number } | null;
  private closed = false;

  private constructor(private readonly socket: dgram.Socket, peer: { host: string; port: number } | null) {
    this.peer = peer;
    socket.on('message', (msg, rinfo) => {
      if (this.closed) return;
      if (!this.peer) {
        this.peer = { host: rinfo.address, port: rinfo.port };
        this.onPeer(this.remote);
      } else if (rinfo.port !== this.peer.port || rinfo.address !== this.peer.host) {
        this.strangers++;
        return;
      }
      this.onReceive(msg);
    });
    socket.on('error', () => { /* ICMP port unreachable while the peer restarts: retransmission copes */ });
  }

  /**
   * @example const link = await UdpLink.open({ port: 41194 }); // a receiver on 127.0.0.1:41194
   */
  static open(o: UdpLinkOptions = {}): Promise<UdpLink> {
    const host = o.host ?? '127.0.0.1';
    const socket = dgram.createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 8 << 20, sendBufferSize: 8 << 20 });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(o.port ?? 0, host, () => {
        socket.off('error', reject);
        resolve(new UdpLink(socket, o.peer ?? null));
      });
    });
  }

  get local(): string {
    const a = this.socket.address();
    return formatEndpoint(a.address, a.port);
  }

  get remote(): string {
    return this.peer ? formatEndpoint(this.peer.host, this.peer.port) : formatEndpoint('0.0.0.0', 0);
  }

  get port(): number { return this.socket.address().port; }

  send(bytes: Buffer): void {
    if (this.closed || !this.peer) return;
    this.socket.send(bytes, this.peer.port, this.peer.host);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
