/**
 * An error caused by the user's input (a capture, a dissector file, a scenario), not by a bug.
 * The CLI prints `message` as one line and exits with code 2, never a stack trace.
 *
 * @example
 * throw new InputError('run.pcap', 'record length 9000000 exceeds 256 KiB', { offset: 1234 });
 * // message: "run.pcap: byte 1234: record length 9000000 exceeds 256 KiB"
 */
export class InputError extends Error {
  readonly file: string;
  readonly offset: number | undefined;
  readonly frame: number | undefined;

  constructor(file: string, detail: string, where: { offset?: number; frame?: number } = {}) {
    const loc = where.frame !== undefined ? `frame ${where.frame}: ` : where.offset !== undefined ? `byte ${where.offset}: ` : '';
    super(`${file}: ${loc}${detail}`);
    this.name = 'InputError';
    this.file = file;
    this.offset = where.offset;
    this.frame = where.frame;
  }
}
