import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/open_capture.js';
import { InputError } from '../../src/input_error.js';
import { PcapngBuilder, fixturesDir, ipPacket, tempDir, toBigEndianPcap } from './capture_bytes.js';
import { editcap } from './tshark_fields.js';

const tmp = tempDir();

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('openCapture picks the reader by magic, never by name', () => {
  it('pcap (µs, ns, both byte orders) and pcapng, whatever the file is called', () => {
    const src = path.join(fixturesDir, 'udp_custom_lo.pcapng');
    const us = path.join(tmp, 'capture.pcapng'); // a pcap with the wrong extension
    editcap(['-F', 'pcap', src, us]);
    const ns = path.join(tmp, 'capture.json');
    editcap(['-F', 'nsecpcap', src, ns]);
    const be = path.join(tmp, 'capture.txt');
    fs.writeFileSync(be, toBigEndianPcap(fs.readFileSync(ns)));
    const ng = path.join(tmp, 'capture.pcap');
    fs.copyFileSync(src, ng);
    for (const [file, format] of [[us, 'pcap'], [ns, 'pcap'], [be, 'pcap'], [ng, 'pcapng']] as const) {
      const reader = openCapture(file);
      expect(reader.format).toBe(format);
      expect(reader.file).toBe(file);
      expect(reader.forEach(() => {}).frames).toBe(402);
    }
  });

  it('JSON: "[" is a -T json export, "{" a -T ek export (after whitespace or a BOM)', () => {
    expect(openCapture(path.join(fixturesDir, 'udp_custom_lo.json')).format).toBe('json');
    const cases: Array<[string, string]> = [
      ['  \n\t[\n]', 'json'],
      ['\ufeff[]', 'json'],
      ['{"index":{"_index":"packets-2024"}}\n', 'ek'],
      ['\r\n {"timestamp":"1"}\n', 'ek'],
    ];
    for (const [text, format] of cases) {
      const file = path.join(tmp, `j${format}${text.length}.bin`);
      fs.writeFileSync(file, text);
      expect(openCapture(file).format).toBe(format);
    }
  });

  it('errors name the file: not found, empty, unknown magic (with offset 0), a directory', () => {
    const missing = path.join(tmp, 'nope.pcap');
    expect(thrown(() => openCapture(missing)).message).toBe(`${missing}: file not found`);
    const empty = path.join(tmp, 'empty.pcap');
    fs.writeFileSync(empty, '');
    expect(thrown(() => openCapture(empty)).message).toBe(`${empty}: byte 0: empty file`);
    const text = path.join(tmp, 'notes.pcap');
    fs.writeFileSync(text, 'hello world');
    const e = thrown(() => openCapture(text));
    expect(e.offset).toBe(0);
    expect(e.message).toBe(`${text}: byte 0: not a pcap/pcapng/Wireshark JSON file (magic 0x68656c6c)`);
    const short = path.join(tmp, 'short.pcap');
    fs.writeFileSync(short, Buffer.from([0xd4, 0xc3]));
    expect(thrown(() => openCapture(short)).message).toMatch(/magic 0xd4c3\)$/);
    expect(thrown(() => openCapture(tmp)).message).toMatch(/is a directory/);
  });

  it('a pcapng built by hand with an unusual first section is still pcapng', () => {
    const b = new PcapngBuilder(false);
    const file = path.join(tmp, 'be.dat');
    fs.writeFileSync(file, Buffer.concat([b.shb([b.comment('hi')]), b.idb(101), b.epb(0, 1n, ipPacket(1))]));
    const reader = openCapture(file);
    expect(reader.format).toBe('pcapng');
    expect(reader.forEach(() => {})).toMatchObject({ frames: 1, comments: ['hi'], warnings: [] });
  });
});
