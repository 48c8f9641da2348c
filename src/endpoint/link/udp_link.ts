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
  /**
   * Without a peer: whether a datagram may open the conversation (a receiver passes "is a
   * valid SYN"), so a stranger that speaks first does not become the peer. Default: any.
   */
  opens?: (bytes: Buffer) => boolean;
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
  /** Connected to the peer: sends skip the per-datagram address lookup (and the kernel's route lookup). */
  private connected = false;

  private constructor(private readonly socket: dgram.Socket, peer: { host: string; port: number } | null, opens: (bytes: Buffer) => boolean = () => true) {
    this.peer = peer;
    socket.on('message', (msg, rinfo) => {
      if (this.closed) return;
      if (!this.peer) {
        if (!opens(msg)) { this.strangers++; return; }
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
        const link = new UdpLink(socket, o.peer ?? null, o.opens);
        if (!o.peer) { socket.off('error', reject); resolve(link); return; }
        // A sender knows its peer: connect, so each send is one plain syscall. (The kernel then
        // drops strangers' datagrams before they reach us; a receiver stays unconnected to count them.)
        socket.connect(o.peer.port, o.peer.host, () => {
          socket.off('error', reject);
          link.connected = true;
          resolve(link);
        });
      });
    });
  }

  /** Fixed once bound; cached because every reported drop names it (a system call each). */
  private localText: string | null = null;

  get local(): string {
    if (this.localText === null) {
      const a = this.socket.address();
      this.localText = formatEndpoint(a.address, a.port);
    }
    return this.localText;
  }

  get remote(): string {
    return this.peer ? formatEndpoint(this.peer.host, this.peer.port) : formatEndpoint('0.0.0.0', 0);
  }

  get port(): number { return this.socket.address().port; }

  send(bytes: Buffer): void {
    if (this.closed || !this.peer) return;
    if (this.connected) this.socket.send(bytes);
    else this.socket.send(bytes, this.peer.port, this.peer.host);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
