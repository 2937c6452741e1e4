import { StringDecoder } from 'node:string_decoder';

/** Keeps the last `limit` bytes written; older bytes are dropped as new ones arrive. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(readonly limit: number) {}

  push(chunk: Buffer): void {
    if (chunk.byteLength >= this.limit) {
      this.dropped += this.size + chunk.byteLength - this.limit;
      this.chunks = [chunk.subarray(chunk.byteLength - this.limit)];
      this.size = this.limit;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    while (this.size > this.limit) {
      const first = this.chunks[0];
      if (!first) break;
      const excess = this.size - this.limit;
      if (first.byteLength <= excess) {
        this.chunks.shift();
        this.size -= first.byteLength;
        this.dropped += first.byteLength;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
        this.dropped += excess;
      }
    }
  }

  get byteLength(): number {
    return this.size;
  }

  /** The kept bytes as text; a character cut in half at the start is dropped. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** Keeps the first `limit` bytes (the text output selectors read), and notes whether more came. */
export class HeadBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  constructor(readonly limit: number) {}

  push(chunk: Buffer): void {
    if (this.size >= this.limit) {
      this.truncated = true;
      return;
    }
    const room = this.limit - this.size;
    const kept = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    this.chunks.push(kept);
    this.size += kept.byteLength;
  }

  get byteLength(): number {
    return this.size;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Turns a byte stream into lines for live output. A line longer than `maxLine` is passed on in
 * pieces, so a program that never prints a newline cannot grow memory either.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLine = 64 * 1024,
    /** Moves a cut off a secret (Redactor.safeCut); each piece is redacted on its own later. */
    private readonly safeCut: (text: string, at: number) => number = (_text, at) => at,
  ) {}

  push(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let start = 0;
    for (let nl = this.pending.indexOf('\n', start); nl !== -1; nl = this.pending.indexOf('\n', start)) {
      this.emit(stripCr(this.pending.slice(start, nl)));
      start = nl + 1;
    }
    this.pending = this.pending.slice(start);
    while (this.pending.length > this.maxLine) {
      let cut = this.safeCut(this.pending, this.maxLine);
      // A cut can only move back by the length of one secret; 0 would mean no progress at all.
      if (cut <= 0) cut = this.maxLine;
      this.emit(this.pending.slice(0, cut));
      this.pending = this.pending.slice(cut);
    }
  }

  end(): void {
    this.pending += this.decoder.end();
    if (this.pending !== '') this.emit(stripCr(this.pending));
    this.pending = '';
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
