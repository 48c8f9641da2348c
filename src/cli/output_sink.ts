/**
 * Batches result text into large writes to stdout. On Linux, writes to files, pipes and
 * terminals are synchronous, so a streaming command never queues unbounded output in memory.
 */
export class OutputSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly write: (s: string) => void = (s) => { process.stdout.write(s); }, private readonly limit = 1 << 16) {}

  /** @example sink.line(JSON.stringify(row)) */
  line(s: string): void {
    this.parts.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  text(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    this.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
