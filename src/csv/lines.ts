// CSV rows written straight into UTF-8 bytes. A row built as a string first was a template of some
// twenty parts, a cons string per part, flattened by a join and encoded: about 2 KB of garbage per
// row of the architecture sweep, and a quarter of the CSV pass went to the collector. Here the cells
// a row shares with others are encoded once (cellBytes) and copied; numbers are written digit by
// digit where they are whole, the only strings left per row are the shortest digits of the
// fractional doubles, which die young. The bytes move to the main thread as they are.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Whole numbers up to 2^53 are written from their digits; `${v}` prints the same digits. */
const MAX_WHOLE = Number.MAX_SAFE_INTEGER;

/** A cell's text as UTF-8 bytes, to be copied into many rows. */
export function cellBytes(text: string): Uint8Array {
  return encoder.encode(text);
}

const COMMA = 44;
const NEWLINE = 10;
/** "00", "01", … "99" as bytes. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** `${v}` of a double is at most 24 characters ("-1.2345678901234567e-308"). */
const NUMBER_MAX = 24;

export class Lines {
  private buf: Uint8Array;
  private pos = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(Math.max(capacity, 1024));
  }

  /** Empties the buffer for reuse. */
  clear(): void {
    this.pos = 0;
  }

  /** Text, ASCII byte by byte; anything else through the encoder. */
  text(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = pos;
        this.encoded(s.slice(i));
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  private encoded(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (this.pos + 3 * s.length > this.buf.length) this.grow(3 * s.length);
    this.pos += encoder.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** Bytes made by cellBytes. */
  cell(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let pos = this.pos;
    // a loop beats set() at the lengths of cells
    for (let i = 0; i < n; i++) buf[pos++] = b[i]!;
    this.pos = pos;
  }

  /** Bytes written so far: where the next write goes. */
  get length(): number {
    return this.pos;
  }

  /** Writes again the `n` bytes written at `from`. */
  again(from: number, n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = from; i < from + n; i++) buf[pos++] = buf[i]!;
    this.pos = pos;
  }

  comma(): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = COMMA;
  }

  newline(): void {
    if (this.pos + 1 > this.buf.length) this.grow(1);
    this.buf[this.pos++] = NEWLINE;
  }

  /** `,${v}` */
  commaNum(v: number): void {
    this.comma();
    this.num(v);
  }

  /** `,${v}` when v is finite, else `,` (an empty cell). */
  commaFinite(v: number): void {
    this.comma();
    if (Number.isFinite(v)) this.num(v);
  }

  /** The bytes of `${v}`. */
  num(v: number): void {
    if (!(v >= 0 && v <= MAX_WHOLE && v === Math.floor(v))) {
      // For a finite number JSON.stringify writes ToString(v), the text of `${v}` (ECMA-262,
      // SerializeJSONProperty), without keeping it in V8's number-to-string cache, from which each
      // text of a CSV pass outlived a scavenge or two before it died: 0.94–0.96 of the time, end to end.
      this.text(Number.isFinite(v) ? JSON.stringify(v) : `${v}`);
      return;
    }
    if (this.pos + NUMBER_MAX > this.buf.length) this.grow(NUMBER_MAX);
    if (v < 1e8) {
      this.digits(v);
      return;
    }
    let hi = Math.floor(v / 1e8);
    let lo = v - hi * 1e8;
    // The division can round up to the next integer when lo is close to 1e8.
    if (lo < 0) {
      hi--;
      lo += 1e8;
    }
    this.digits(hi);
    this.eightDigits(lo);
  }

  /** n in [0, 1e8) (−0 is written 0, as `${-0}` is). */
  private digits(n: number): void {
    let len = 1;
    for (let t = 10; t <= n; t *= 10) len++;
    this.pos += len;
    this.backwards(n, this.pos);
  }

  /** n in [0, 1e8), zero-padded to eight digits. */
  private eightDigits(n: number): void {
    this.pos += 8;
    const end = this.backwards(n, this.pos);
    for (let p = this.pos - 8; p < end; p++) this.buf[p] = 48;
  }

  /** Writes n's digits ending before `end`, two at a time; returns where the first one went. */
  private backwards(n: number, end: number): number {
    const buf = this.buf;
    let p = end;
    let x = n | 0;
    while (x >= 100) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) << 1;
      buf[--p] = PAIRS[r + 1]!;
      buf[--p] = PAIRS[r]!;
      x = q;
    }
    if (x >= 10) {
      buf[--p] = PAIRS[(x << 1) + 1]!;
      buf[--p] = PAIRS[x << 1]!;
    } else buf[--p] = 48 + x;
    return p;
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** The bytes written, a view of the buffer. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written, in an array of their own (it moves to the main thread whole). */
  copy(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** The buffer's size in bytes. */
  get capacity(): number {
    return this.buf.length;
  }

  toText(): string {
    return decoder.decode(this.bytes());
  }
}
