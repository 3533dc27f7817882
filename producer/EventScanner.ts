import {
  MAX_OBJECT_BYTES,
  MAX_RESCAN_BYTES,
  MAX_STRETCH_RAW_BYTES,
  PieceKind,
} from './constants.js';

/** A JSON object found in a file, with its exact text and where it stood. */
export interface SplitEvent {
  kind: typeof PieceKind.Event;
  /** The piece's position in the file, counting events and stretches. */
  index: number;
  /** The byte offset of the object's `{` in the file. */
  offset: number;
  /** The object's length in bytes. */
  length: number;
  /** The object's text, byte for byte as written. */
  text: string;
  /** The object, parsed once. */
  value: unknown;
}

/** Bytes of a file that are not a JSON object, kept for quarantine. */
export interface UnparsableStretch {
  kind: typeof PieceKind.Unparsable;
  index: number;
  offset: number;
  length: number;
  /** A sentence naming the offset and what the parser said. */
  message: string;
  /** The stretch's text, cut to `maxStretchRawBytes`. */
  raw: string;
}

/** One thing the scanner found in a file. */
export type SplitPiece = SplitEvent | UnparsableStretch;

/** The bounds a scanner keeps to; the defaults come from `constants.ts`. */
export interface ScannerLimits {
  maxObjectBytes: number;
  maxStretchRawBytes: number;
  maxRescanBytes: number;
}

const DEFAULT_LIMITS: ScannerLimits = {
  maxObjectBytes: MAX_OBJECT_BYTES,
  maxStretchRawBytes: MAX_STRETCH_RAW_BYTES,
  maxRescanBytes: MAX_RESCAN_BYTES,
};

const Mode = {
  /** Between objects: whitespace, commas and array brackets pass. */
  Between: 0,
  /** Inside an object, tracking strings, escapes and brace depth. */
  Object: 1,
  /** After a stray byte: any `{` may start the next object. */
  Stray: 2,
  /** After a broken object: only a likely event start ends the stretch. */
  Resync: 3,
} as const;
type Mode = (typeof Mode)[keyof typeof Mode];

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const VERSION_KEY = Buffer.from('"version"');
const VERSION_OBJECT = Buffer.from('{"version"');

/**
 * Finds the JSON objects in a file fed to it chunk by chunk: objects back to
 * back, one per line, or inside a top-level array. It keeps only the object
 * being read, so memory does not grow with the file.
 *
 * Bytes that are not an object become an unparsable stretch, and scanning
 * goes on from the next place an object plausibly starts: after stray bytes,
 * any `{`; after a broken object, a `{` that follows a `}` or a line break,
 * or opens `{"version"` as every dvault envelope does. The search for the
 * next event inside a broken object rescans at most `maxRescanBytes`.
 *
 * @example
 * const scanner = new EventScanner();
 * const pieces = [...scanner.push(chunk), ...scanner.end()];
 */
export class EventScanner {
  readonly #limits: ScannerLimits;
  #pieces: SplitPiece[] = [];
  #mode: Mode = Mode.Between;
  #index = 0;
  #received = 0;
  #started = false;
  #carry: { buf: Buffer; offset: number } | undefined;
  #rescan: { buf: Buffer; offset: number } | undefined;
  #rescanned = 0;
  #envelopeBuf: Buffer | undefined;
  #envelopeAt = -1;
  // The object being read.
  #objectStart = 0;
  #objectFrom = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #parts: Buffer[] = [];
  #partsBytes = 0;
  // The unparsable stretch being read.
  #stretchStart = 0;
  #stretchFrom = 0;
  #stretchMessage = '';
  #stretchRaw: Buffer[] = [];
  #stretchRawBytes = 0;
  #previousByte = -1;
  #previousSignificant = -1;

  /** @param limits overrides for the bounds in `constants.ts` */
  constructor(limits: Partial<ScannerLimits> = {}) {
    this.#limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Scans the next chunk and returns the pieces it completed. */
  push(chunk: Uint8Array): SplitPiece[] {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let offset = this.#received;
    this.#received += buf.length;
    if (this.#carry !== undefined) {
      buf = Buffer.concat([this.#carry.buf, buf]);
      offset = this.#carry.offset;
      this.#carry = undefined;
    }
    this.#scan(buf, offset, false);
    return this.#drain();
  }

  /** Ends the file and returns the pieces that were still open. */
  end(): SplitPiece[] {
    const carry = this.#carry;
    this.#carry = undefined;
    if (carry !== undefined) this.#scan(carry.buf, carry.offset, true);
    while (this.#mode === Mode.Object) this.#recoverTruncatedTail();
    if (this.#mode !== Mode.Between) this.#closeStretch(this.#received);
    return this.#drain();
  }

  #drain(): SplitPiece[] {
    const pieces = this.#pieces;
    this.#pieces = [];
    return pieces;
  }

  #scan(first: Buffer, firstOffset: number, final: boolean) {
    let work: { buf: Buffer; offset: number } | undefined = {
      buf: first,
      offset: firstOffset,
    };
    while (work !== undefined) {
      this.#scanBuffer(work.buf, work.offset, final);
      work = this.#rescan;
      this.#rescan = undefined;
    }
  }

  #scanBuffer(buf: Buffer, offset: number, final: boolean) {
    let i = this.#skipByteOrderMark(buf, offset, final);
    while (i < buf.length) {
      switch (this.#mode) {
        case Mode.Between:
          i = this.#scanBetween(buf, i, offset);
          break;
        case Mode.Object:
          i = this.#scanObject(buf, i);
          break;
        case Mode.Stray:
          i = this.#scanStray(buf, i, offset);
          break;
        case Mode.Resync:
          i = this.#scanResync(buf, i, offset, final);
          break;
      }
    }
    this.#keepOpenBytes(buf);
  }

  #skipByteOrderMark(buf: Buffer, offset: number, final: boolean): number {
    if (this.#started || offset !== 0) return 0;
    if (buf.length < BYTE_ORDER_MARK.length && !final) {
      const prefix = BYTE_ORDER_MARK.subarray(0, buf.length);
      if (buf.equals(prefix)) {
        this.#carry = { buf: Buffer.from(buf), offset };
        return buf.length;
      }
    }
    this.#started = true;
    const marked =
      buf.length >= BYTE_ORDER_MARK.length &&
      buf.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK);
    return marked ? BYTE_ORDER_MARK.length : 0;
  }

  #scanBetween(buf: Buffer, from: number, offset: number): number {
    for (let i = from; i < buf.length; i++) {
      const byte = buf[i] as number;
      if (byte === OPEN_BRACE) return this.#openObject(buf, i, offset);
      if (!isSeparator(byte)) {
        this.#openStretch(offset + i, strayMessage(byte, offset + i));
        this.#mode = Mode.Stray;
        this.#stretchFrom = i;
        return i + 1;
      }
    }
    return buf.length;
  }

  #openObject(buf: Buffer, at: number, offset: number): number {
    const end = this.#readWholeObject(buf, at, offset);
    if (end !== -1) return end;
    this.#mode = Mode.Object;
    this.#objectStart = offset + at;
    this.#objectFrom = at;
    this.#depth = 1;
    this.#inString = false;
    this.#escaped = false;
    this.#parts = [];
    this.#partsBytes = 0;
    return at + 1;
  }

  /**
   * The fast path for dvault files: guesses that the object ends before
   * the next `{"version"` in the buffer and lets `JSON.parse` check the
   * guess. A slice the parser accepts whole is exactly one object, the same
   * the byte scan would find; any other guess falls back to the byte scan.
   * Returns the end of the object, or -1.
   */
  #readWholeObject(buf: Buffer, at: number, offset: number): number {
    const next = this.#nextEnvelope(buf, at);
    if (next === -1) return -1;
    let end = next;
    while (end > at && isSeparator(buf[end - 1] as number)) end--;
    if (buf[end - 1] !== CLOSE_BRACE) return -1;
    const text = buf.toString('utf8', at, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return -1;
    }
    this.#pieces.push({
      kind: PieceKind.Event,
      index: this.#index++,
      offset: offset + at,
      length: end - at,
      text,
      value,
    });
    this.#mode = Mode.Between;
    return end;
  }

  /**
   * The next `{"version"` after `at`, remembered per buffer: without it, a
   * buffer of many objects and no envelope would be searched to its end
   * once per object.
   */
  #nextEnvelope(buf: Buffer, at: number): number {
    const known = this.#envelopeAt;
    if (buf === this.#envelopeBuf && (known === -1 || known > at)) return known;
    this.#envelopeBuf = buf;
    this.#envelopeAt = buf.indexOf(VERSION_OBJECT, at + 1);
    return this.#envelopeAt;
  }

  #scanObject(buf: Buffer, from: number): number {
    let depth = this.#depth;
    let inString = this.#inString;
    const length = buf.length;
    let i = from;
    while (i < length) {
      if (inString) {
        // Most bytes of an event are string content: jump to the next quote.
        const quote = buf.indexOf(QUOTE, i);
        if (quote === -1) {
          this.#escaped = escapesNext(buf, length, this.#escaped);
          i = length;
          break;
        }
        inString = escapesNext(buf, quote, this.#escaped);
        this.#escaped = false;
        i = quote + 1;
        continue;
      }
      const byte = buf[i++];
      if (byte === QUOTE) {
        inString = true;
        this.#escaped = false;
      } else if (byte === OPEN_BRACE) {
        depth++;
      } else if (byte === CLOSE_BRACE && --depth === 0) {
        return this.#closeObject(buf, i);
      }
    }
    this.#depth = depth;
    this.#inString = inString;
    return length;
  }

  #closeObject(buf: Buffer, end: number): number {
    const bytes = this.#objectBytes(buf, end);
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = `The object at byte ${this.#objectStart} is not valid JSON: ${(error as Error).message}`;
      return this.#recoverBrokenObject(bytes, message, buf, end);
    }
    this.#pieces.push({
      kind: PieceKind.Event,
      index: this.#index++,
      offset: this.#objectStart,
      length: bytes.length,
      text,
      value,
    });
    this.#mode = Mode.Between;
    this.#parts = [];
    return end;
  }

  #objectBytes(buf: Buffer, end: number): Buffer {
    const tail = buf.subarray(this.#objectFrom, end);
    return this.#parts.length === 0
      ? tail
      : Buffer.concat([...this.#parts, tail]);
  }

  /**
   * Quarantines a broken object from its `{` and looks for the next event
   * inside it: its bytes after the `{` and the rest of the buffer are
   * scanned again, unless the rescan budget is spent.
   */
  #recoverBrokenObject(
    bytes: Buffer,
    message: string,
    buf: Buffer,
    end: number,
  ): number {
    this.#openStretch(this.#objectStart, message);
    this.#mode = Mode.Resync;
    this.#parts = [];
    if (this.#rescanned + bytes.length > this.#limits.maxRescanBytes) {
      this.#appendRaw(bytes, 0, bytes.length);
      this.#previousByte = CLOSE_BRACE;
      this.#previousSignificant = CLOSE_BRACE;
      this.#stretchFrom = end;
      return end;
    }
    this.#rescanned += bytes.length;
    this.#appendRaw(bytes, 0, 1);
    this.#previousByte = OPEN_BRACE;
    this.#previousSignificant = OPEN_BRACE;
    this.#stretchFrom = 0;
    this.#rescan = {
      buf: Buffer.concat([bytes.subarray(1), buf.subarray(end)]),
      offset: this.#objectStart + 1,
    };
    return buf.length;
  }

  #recoverTruncatedTail() {
    const bytes = Buffer.concat(this.#parts);
    const message = `The file ends inside the object that opens at byte ${this.#objectStart}.`;
    const empty = Buffer.alloc(0);
    this.#recoverBrokenObject(bytes, message, empty, 0);
    const rescan = this.#rescan;
    this.#rescan = undefined;
    if (rescan !== undefined) this.#scan(rescan.buf, rescan.offset, true);
  }

  #scanStray(buf: Buffer, from: number, offset: number): number {
    const next = buf.indexOf(OPEN_BRACE, from);
    if (next === -1) return buf.length;
    this.#appendRaw(buf, this.#stretchFrom, next);
    this.#closeStretch(offset + next);
    return this.#openObject(buf, next, offset);
  }

  #scanResync(
    buf: Buffer,
    from: number,
    offset: number,
    final: boolean,
  ): number {
    let next = buf.indexOf(OPEN_BRACE, from);
    while (next !== -1) {
      if (!final && next + VERSION_KEY.length >= buf.length) {
        return this.#carryFrom(buf, next, offset);
      }
      if (this.#startsEvent(buf, next)) {
        this.#appendRaw(buf, this.#stretchFrom, next);
        this.#closeStretch(offset + next);
        return this.#openObject(buf, next, offset);
      }
      next = buf.indexOf(OPEN_BRACE, next + 1);
    }
    return buf.length;
  }

  #startsEvent(buf: Buffer, at: number): boolean {
    const before = at === 0 ? this.#previousByte : buf[at - 1];
    if (before === NEWLINE) return true;
    if (this.#significantBefore(buf, at) === CLOSE_BRACE) return true;
    const end = at + 1 + VERSION_KEY.length;
    return end <= buf.length && buf.subarray(at + 1, end).equals(VERSION_KEY);
  }

  #significantBefore(buf: Buffer, at: number): number {
    for (let i = at - 1; i >= 0; i--) {
      const byte = buf[i] as number;
      if (!isWhitespace(byte)) return byte;
    }
    return this.#previousSignificant;
  }

  /** Keeps a possible event start for the next chunk, to look ahead. */
  #carryFrom(buf: Buffer, at: number, offset: number): number {
    this.#appendRaw(buf, this.#stretchFrom, at);
    this.#rememberPrevious(buf, at);
    this.#stretchFrom = 0;
    this.#carry = { buf: Buffer.from(buf.subarray(at)), offset: offset + at };
    return buf.length;
  }

  /** At the end of a buffer, keeps what the open object or stretch needs. */
  #keepOpenBytes(buf: Buffer) {
    // A carried tail or a scheduled rescan already holds those bytes.
    if (this.#carry !== undefined || this.#rescan !== undefined) return;
    if (this.#mode === Mode.Object) {
      this.#parts.push(buf.subarray(this.#objectFrom));
      this.#partsBytes += buf.length - this.#objectFrom;
      this.#objectFrom = 0;
      if (this.#partsBytes > this.#limits.maxObjectBytes) this.#giveUpObject();
    } else if (this.#mode === Mode.Stray || this.#mode === Mode.Resync) {
      this.#appendRaw(buf, this.#stretchFrom, buf.length);
      this.#rememberPrevious(buf, buf.length);
      this.#stretchFrom = 0;
    }
  }

  #giveUpObject() {
    const message = `The object that opens at byte ${this.#objectStart} runs past ${this.#limits.maxObjectBytes} bytes without closing.`;
    const parts = this.#parts;
    this.#openStretch(this.#objectStart, message);
    this.#mode = Mode.Resync;
    this.#parts = [];
    for (const part of parts) this.#appendRaw(part, 0, part.length);
    const last = parts.at(-1) ?? Buffer.alloc(0);
    this.#rememberPrevious(last, last.length);
    this.#stretchFrom = 0;
  }

  #rememberPrevious(buf: Buffer, end: number) {
    if (end === 0) return;
    this.#previousSignificant = this.#significantBefore(buf, end);
    this.#previousByte = buf[end - 1] as number;
  }

  #openStretch(offset: number, message: string) {
    this.#stretchStart = offset;
    this.#stretchMessage = message;
    this.#stretchRaw = [];
    this.#stretchRawBytes = 0;
  }

  #appendRaw(buf: Buffer, from: number, to: number) {
    const room = this.#limits.maxStretchRawBytes - this.#stretchRawBytes;
    const end = Math.min(to, from + room);
    if (end <= from) return;
    this.#stretchRaw.push(Buffer.from(buf.subarray(from, end)));
    this.#stretchRawBytes += end - from;
  }

  #closeStretch(end: number) {
    this.#pieces.push({
      kind: PieceKind.Unparsable,
      index: this.#index++,
      offset: this.#stretchStart,
      length: end - this.#stretchStart,
      message: this.#stretchMessage,
      raw: Buffer.concat(this.#stretchRaw).toString('utf8'),
    });
    this.#stretchRaw = [];
    this.#mode = Mode.Between;
  }
}

/**
 * Whether the byte at `end` is escaped: an odd run of backslashes before
 * it. A run reaching back to the buffer's start continues the previous
 * buffer's, whose parity `escapedBefore` carries.
 */
function escapesNext(buf: Buffer, end: number, escapedBefore: boolean) {
  let run = 0;
  while (run < end && buf[end - 1 - run] === BACKSLASH) run++;
  const odd = run % 2 === 1;
  return run === end && escapedBefore ? !odd : odd;
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Bytes allowed between objects: whitespace, commas, array brackets. */
function isSeparator(byte: number): boolean {
  return isWhitespace(byte) || byte === 0x2c || byte === 0x5b || byte === 0x5d;
}

function strayMessage(byte: number, offset: number): string {
  const found =
    byte >= 0x20 && byte < 0x7f
      ? JSON.stringify(String.fromCharCode(byte))
      : `byte 0x${byte.toString(16).padStart(2, '0')}`;
  return `Expected a JSON object at byte ${offset}, found ${found}.`;
}
