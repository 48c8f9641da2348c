import type { CaptureReader } from './frame.js';
import { FileWindow, type ReaderOptions } from './file_window.js';
import { PcapReader, magicHex, pcapMagic } from './pcap_reader.js';
import { BLOCK_SHB, PcapngReader } from './pcapng_reader.js';
import { openWiresharkJson } from './wireshark_json_reader.js';
import { InputError } from '../input_error.js';

/** How far to look past leading whitespace for the first JSON byte. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Opens a capture for one pass, choosing the reader by the file's first bytes, never by its
 * name (students rename files freely): the six pcap magics, the pcapng section header, or
 * JSON ('[' a Wireshark `-T json` export, '{' a `-T ek` NDJSON export).
 *
 * @example
 * const reader = openCapture('run.pcapng');
 * const summary = reader.forEach((f) => count += f.capLen);
 * console.log(reader.format, summary.frames, summary.warnings);
 */
export function openCapture(file: string, options: ReaderOptions = {}): CaptureReader {
  const win = FileWindow.open(file, SNIFF_BYTES);
  let kind: 'pcap' | 'pcapng' | 'json' | 'ek';
  try {
    kind = sniff(win, file);
  } finally {
    win.close();
  }
  switch (kind) {
    case 'pcap': return new PcapReader(file, options);
    case 'pcapng': return new PcapngReader(file, options);
    default: return openWiresharkJson(file, kind);
  }
}

function sniff(win: FileWindow, file: string): 'pcap' | 'pcapng' | 'json' | 'ek' {
  win.ensure(SNIFF_BYTES);
  const n = win.available;
  const buf = win.buf;
  if (n === 0) throw new InputError(file, 'empty file', { offset: 0 });
  if (n >= 4) {
    const le32 = buf.readUInt32LE(0);
    if (pcapMagic(le32) !== null) return 'pcap';
    if (le32 === BLOCK_SHB) return 'pcapng';
  }
  let i = 0;
  // A UTF-8 byte-order mark, as Windows editors like to add, is not content.
  if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
  while (i < n && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  if (i < n && buf[i] === 0x5b) return 'json';
  if (i < n && buf[i] === 0x7b) return 'ek';
  throw new InputError(file, `not a pcap/pcapng/Wireshark JSON file (magic ${magicHex(buf, n)})`, { offset: 0 });
}
