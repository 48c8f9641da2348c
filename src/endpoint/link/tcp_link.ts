/**
 * A Link over one TCP connection: sends are written to the stream, arrivals are whatever
 * chunks TCP delivers (merged or split: framing is the core's job). A server link accepts one
 * connection; later ones are counted and refused.
 */
import net from 'node:net';
import { formatEndpoint } from './endpoint_text.js';
import type { Link } from './link.js';

export class TcpLink implements Link {
  readonly kind = 'stream' as const;
  onReceive: (bytes: Buffer) => void = () => {};
  /** Called when the peer closes or the connection fails. */
  onClose: (error: string | null) => void = () => {};
  private closed = false;

  private constructor(private readonly socket: net.Socket, private readonly server: net.Server | null) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => { if (!this.closed) this.onReceive(chunk); });
    socket.on('error', (e) => { if (!this.closed) this.onClose(e.message); });
    socket.on('end', () => { if (!this.closed) this.onClose(null); });
  }

  /** Connects to HOST:PORT. @example const link = await TcpLink.connect('127.0.0.1', 55558); */
  static connect(host: string, port: number): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => { s.off('error', reject); resolve(new TcpLink(s, null)); });
      s.once('error', reject);
    });
  }

  /**
   * Listens and resolves with the link of the first connection; `ready` gets the bound port.
   *
   * @example const link = await TcpLink.accept('127.0.0.1', 55558, (port) => console.log(port));
   */
  static accept(host: string, port: number, ready: (port: number) => void, refused: () => void = () => {}): Promise<TcpLink> {
    return new Promise((resolve, reject) => {
      let link: TcpLink | null = null;
      const server = net.createServer((s) => {
        if (link) { refused(); s.destroy(); return; }
        link = new TcpLink(s, server);
        resolve(link);
      });
      server.once('error', reject);
      server.listen(port, host, () => ready((server.address() as net.AddressInfo).port));
    });
  }

  get local(): string { return formatEndpoint(this.socket.localAddress ?? '0.0.0.0', this.socket.localPort ?? 0); }
  get remote(): string { return formatEndpoint(this.socket.remoteAddress ?? '0.0.0.0', this.socket.remotePort ?? 0); }

  send(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.end();
    this.server?.close();
  }
}
