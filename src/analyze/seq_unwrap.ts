/**
 * Turns wire sequence numbers, which wrap modulo 2^bits (32 for TCP, 64 for sock352), into
 * unbounded relative numbers, so every rule compares plain numbers. Each raw value is placed
 * nearest to the last one seen (the RFC 1982 serial-number idea), which unwraps flows longer
 * than 2^bits units as long as consecutive numbers are less than half the space apart.
 */
import type { SeqNumber } from '../codec/segment.js';

export class SeqUnwrapper {
  private readonly modulus: number;
  private readonly half: number;
  private readonly bigModulus: bigint;
  private readonly bigHalf: bigint;
  private refRaw: SeqNumber = 0;
  private refRel = 0;
  /** True once a base (the relative 0) was set. */
  based = false;

  constructor(readonly bits: number) {
    this.modulus = 2 ** bits;
    this.half = 2 ** (bits - 1);
    this.bigModulus = 1n << BigInt(bits);
    this.bigHalf = 1n << BigInt(bits - 1);
  }

  /**
   * Makes `raw` relative number `rel` (tshark: base = ISN, or seq - 1 without a SYN).
   *
   * @example u.setBase(1000, 0); u.relative(1500) // 500
   */
  setBase(raw: SeqNumber, rel: number): void {
    this.refRaw = raw;
    this.refRel = rel;
    this.based = true;
  }

  /** The signed distance from the reference to `raw`, modulo 2^bits. */
  private delta(raw: SeqNumber): number {
    const ref = this.refRaw;
    if (typeof raw === 'number' && typeof ref === 'number' && this.bits <= 52) {
      let d = raw - ref;
      // Wire values lie within one modulus of each other, where % changes nothing: skip the
      // floating-point remainder, which ran two or three times per segment.
      if (d >= this.modulus || d <= -this.modulus) d %= this.modulus;
      if (d >= this.half) d -= this.modulus;
      else if (d < -this.half) d += this.modulus;
      return d;
    }
    if (typeof raw === 'number' && typeof ref === 'number' && Number.isSafeInteger(raw - ref)) return raw - ref; // 64-bit, no wrap in sight
    let d = (BigInt(raw) - BigInt(ref)) % this.bigModulus;
    if (d >= this.bigHalf) d -= this.bigModulus;
    else if (d < -this.bigHalf) d += this.bigModulus;
    return Number(d);
  }

  /**
   * Relative value of `raw` without moving the reference (for ACKs into the peer's space).
   *
   * @example u.setBase(4294967000, 0); u.relative(200) // 496: wrapped past 2^32
   */
  relative(raw: SeqNumber): number {
    return this.refRel + this.delta(raw);
  }

  /** Relative value of `raw`, moving the reference forward when `raw` is the newest seen. */
  advance(raw: SeqNumber): number {
    const rel = this.refRel + this.delta(raw);
    if (rel > this.refRel) {
      this.refRaw = raw;
      this.refRel = rel;
    }
    return rel;
  }
}
