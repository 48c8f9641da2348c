/**
 * The sock352 sender (Rutgers CS352 part 1): SYN → ACK → ACK handshake, Go-Back-N data with a
 * window of packets and one timer that resends the whole outstanding window, FIN → ACK, then
 * the peer's FIN → ACK and a timed wait. Sequence numbers count packets: the SYN is 0, data
 * starts at 1, so "--drop-data 4" names the fourth data packet.
 */
import type { Dissector } from '../../codec/dissector.js';
import type { Segment } from '../../codec/segment.js';
import { CoreBase } from './core_base.js';
import type { CoreConfig } from './core_event.js';

type State = 'syn' | 'data' | 'fin' | 'fin-wait' | 'time-wait';

export class Sock352Sender extends CoreBase {
  private state: State = 'syn';
  private readonly count: number;
  private base = 1;
  private next = 1;
  private retries = 0;
  private timerArmed = false;
  private peerFinSeq = 0;

  /**
   * @example
   * const core = new Sock352Sender(reg.get('sock352'), config, fileBytes);
   * driver.run(core);
   */
  constructor(dissector: Dissector, config: CoreConfig, private readonly data: Buffer) {
    super(dissector, config);
    this.count = Math.ceil(data.length / config.mss);
  }

  private get finSeq(): number { return 1 + this.count; }

  private segment(flags: string[], seq: number, ack: number, payload?: Buffer): Buffer {
    return this.dissector.encode({
      version: 1, flags: this.flagBits(...flags), header_len: 40, sequence_no: seq, ack_no: ack,
      window: this.config.window, payload_len: payload ? payload.length : 0,
    }, payload);
  }

  private dataSegment(seq: number): Buffer {
    const i = seq - 1;
    return this.segment([], seq, 0, this.data.subarray(i * this.config.mss, Math.min(this.data.length, (i + 1) * this.config.mss)));
  }

  protected onStart(): void {
    this.send(this.segment(['SYN'], 0, 0));
    this.armRto();
  }

  private armRto(): void {
    this.arm('rto', this.config.timeout);
    this.timerArmed = true;
  }

  protected onTimer(id: string): void {
    if (id === 'time-wait') { this.finish(true, 'transfer complete'); return; }
    if (id !== 'rto') return;
    this.timerArmed = false;
    if (++this.retries > this.config.maxRetries) {
      if (this.state === 'fin-wait') { this.finish(true, 'transfer complete (peer never sent its FIN)'); return; }
      this.finish(false, `peer vanished: no answer after ${this.config.maxRetries} retries (${this.state})`);
      return;
    }
    if (this.state === 'syn') this.send(this.segment(['SYN'], 0, 0), true);
    else if (this.state === 'data') for (let s = this.base; s < this.next; s++) this.send(this.dataSegment(s), true);
    else if (this.state === 'fin') this.send(this.segment(['FIN'], this.finSeq, 0), true);
    this.armRto();
  }

  protected onBytes(bytes: Buffer): void {
    const seg = this.decodeDatagram(bytes);
    if (!seg) return;
    if (seg.fin && this.state !== 'syn' && this.state !== 'data') { this.peerFin(seg); return; }
    if (!seg.hasAck || seg.ack === null) { this.ignore('unexpected'); return; }
    const ack = Number(seg.ack);
    if (this.state === 'syn') {
      if (ack !== 1) { this.ignore('unexpected'); return; }
      this.send(this.segment(['ACK'], 1, Number(seg.seq ?? 0) + 1));
      this.state = 'data';
      this.retries = 0;
      this.cancel('rto');
      this.timerArmed = false;
      this.pump();
    } else if (this.state === 'data') {
      if (ack <= this.base || ack > this.next) return; // an old or duplicate ACK: Go-Back-N ignores it
      this.stats.bytes = Math.min(this.data.length, (ack - 1) * this.config.mss);
      this.base = ack;
      this.retries = 0;
      if (this.base === this.next) { this.cancel('rto'); this.timerArmed = false; } else this.armRto();
      this.pump();
    } else if (this.state === 'fin' && ack === this.finSeq + 1) {
      this.state = 'fin-wait';
      this.retries = 0;
      this.armRto(); // now waits for the peer's FIN; giving up there is still a success
    }
  }

  private pump(): void {
    while (this.next <= this.count && this.next < this.base + this.config.window) {
      this.send(this.dataSegment(this.next));
      this.next++;
      if (!this.timerArmed) this.armRto();
    }
    if (this.base > this.count) {
      this.state = 'fin';
      this.send(this.segment(['FIN'], this.finSeq, 0));
      this.armRto();
    }
  }

  private peerFin(seg: Segment): void {
    // The peer's FIN proves it has our FIN, even when its ACK of our FIN was lost.
    this.peerFinSeq = Number(seg.seq ?? 0);
    this.send(this.segment(['ACK'], this.finSeq + 1, this.peerFinSeq + 1), this.state === 'time-wait');
    if (this.state !== 'time-wait') {
      this.state = 'time-wait';
      this.cancel('rto');
      this.arm('time-wait', 2 * this.config.timeout);
    }
  }
}
