import { isUtf8 } from 'node:buffer';
import {
  MAX_OBJECT_BYTES,
  MAX_RESCAN_BYTES,
  MAX_STRETCH_RAW_BYTES,
  PieceKind,
  StretchCause,
} from './constants.js';
import { firstInvalidUtf8 } from './firstInvalidUtf8.js';

/** A JSON object found in a file, with its exact text and where it stood. */
export interface SplitEvent {
  kind: typeof PieceKind.Event;
  /** The piece's position in the file, counting events and stretches. */
  index: number;
  /** The byte offset of the object's `{` in the file. */
  offset: number;
  /** The object's length in bytes. */
  length: number;
  /** The object's text, byte for byte as written (always valid UTF-8). */
  text: string;
  /** The object, parsed once. */
  value: unknown;
}

/**
 * Bytes of a file the scanner cannot deliver as an event, kept for
 * quarantine as far as `maxStretchRawBytes` allows: bytes that are not a
 * JSON object, an object that is not valid UTF-8 (its text could not be
 * carried without replacing bytes), or an object longer than
 * `maxObjectBytes` (followed to its closing brace but neither kept nor
 * parsed, so known by offset and length only). `cause` says which.
 */
export interface UnparsableStretch {
  kind: typeof PieceKind.Unparsable;
  cause: StretchCause;
  /** The piece's position in the file, counting events and stretches. */
  index: number;
  /** The byte offset of the stretch's first byte in the file. */
  offset: number;
  /** The stretch's full length in bytes, kept or not. */
  length: number;
  /** A sentence naming the offset and what went wrong there. */
  message: string;
  /**
   * The first bytes as text, cut to `maxStretchRawBytes` at a character
   * boundary. Bytes that are not UTF-8 read as U+FFFD here; `rawBase64`
   * then holds them as they were.
   */
  raw: string;
  /** The bytes of `raw` in base64 when they are not valid UTF-8, else null. */
  rawBase64: string | null;
  /** Whether `raw` holds fewer bytes than `length`. */
  rawTruncated: boolean;
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
  /**
   * Inside an object past `maxObjectBytes`: its structure is followed
   * byte by byte, without keeping it, to find where it closes.
   */
  Oversized: 4,
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
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
/** Bytes JSON allows outside strings besides quotes, braces and whitespace. */
const VALUE_BYTES = new Set(Buffer.from('[],:0123456789+-.eEtrufalsn'));

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
 * An object past `maxObjectBytes` is followed to its closing brace without
 * being kept and comes out as an oversized piece, unless its bytes stop
 * looking like JSON first (a raw control byte in a string, a stray letter,
 * an object where no value may start): then it is a broken object, and
 * scanning resyncs from there. An object that is JSON but not valid UTF-8
 * comes out as an unparsable stretch, its bytes kept in base64.
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
  #stretchCause: StretchCause = StretchCause.NotJson;
  #stretchRaw: Buffer[] = [];
  #stretchRawBytes = 0;
  #previousByte = -1;
  #previousSignificant = -1;
  // The last byte outside strings of an oversized object.
  #structural = -1;

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
    if (this.#mode === Mode.Oversized) {
      this.#stretchMessage = `The file ends inside the object that opens at byte ${this.#objectStart}, which runs past ${this.#limits.maxObjectBytes} bytes.`;
      this.#stretchCause = StretchCause.NotJson;
    }
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
        case Mode.Oversized:
          i = this.#scanOversized(buf, i, offset, final);
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
    if (end - at > this.#limits.maxObjectBytes) return -1;
    const text = buf.toString('utf8', at, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return -1;
    }
    this.#mode = Mode.Between;
    if (!isUtf8(buf.subarray(at, end))) {
      this.#quarantineNotUtf8(buf.subarray(at, end), offset + at);
      return end;
    }
    this.#pieces.push({
      kind: PieceKind.Event,
      index: this.#index++,
      offset: offset + at,
      length: end - at,
      text,
      value,
    });
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
    if (bytes.length > this.#limits.maxObjectBytes) {
      this.#outgrowObject(bytes, buf.subarray(end));
      return buf.length;
    }
    const text = bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = `The object at byte ${this.#objectStart} is not valid JSON: ${(error as Error).message}`;
      return this.#recoverBrokenObject(bytes, message, buf, end);
    }
    this.#parts = [];
    this.#mode = Mode.Between;
    if (!isUtf8(bytes)) {
      this.#quarantineNotUtf8(bytes, this.#objectStart);
      return end;
    }
    this.#pieces.push({
      kind: PieceKind.Event,
      index: this.#index++,
      offset: this.#objectStart,
      length: bytes.length,
      text,
      value,
    });
    return end;
  }

  /**
   * Quarantines an object the parser read but whose bytes are not UTF-8:
   * delivering its text would replace them, so it goes whole (up to the
   * raw limit) into an unparsable stretch that names the first bad byte.
   */
  #quarantineNotUtf8(bytes: Buffer, start: number) {
    const bad = start + firstInvalidUtf8(bytes);
    const message = `The object at byte ${start} is not valid UTF-8: the sequence at byte ${bad} is not a character.`;
    this.#openStretch(start, message, StretchCause.NotUtf8);
    this.#appendRaw(bytes, 0, bytes.length);
    this.#closeStretch(start + bytes.length, false);
  }

  #closeOversized(end: number) {
    const length = end - this.#stretchStart;
    this.#stretchMessage = `The object at byte ${this.#stretchStart} is ${length} bytes long; the producer reads objects of at most ${this.#limits.maxObjectBytes} bytes.`;
    this.#closeStretch(end);
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
      if (this.#partsBytes > this.#limits.maxObjectBytes) {
        this.#outgrowObject(Buffer.concat(this.#parts), Buffer.alloc(0));
      }
    } else if (this.#mode !== Mode.Between) {
      this.#appendRaw(buf, this.#stretchFrom, buf.length);
      this.#rememberPrevious(buf, buf.length);
      this.#stretchFrom = 0;
    }
  }

  /**
   * Stops keeping an object that ran past the limit. Its bytes so far (and
   * `rest`, what the buffer held after them) are followed again from its
   * `{` in oversized mode, which checks what the object scan does not, so
   * an object broken early still resyncs where it broke. From then on only
   * its first `maxStretchRawBytes` are kept.
   */
  #outgrowObject(bytes: Buffer, rest: Buffer) {
    this.#openStretch(this.#objectStart, '', StretchCause.Oversized);
    this.#appendRaw(bytes, 0, 1);
    this.#mode = Mode.Oversized;
    this.#parts = [];
    this.#partsBytes = 0;
    this.#depth = 1;
    this.#inString = false;
    this.#escaped = false;
    this.#structural = OPEN_BRACE;
    this.#previousByte = OPEN_BRACE;
    this.#previousSignificant = OPEN_BRACE;
    this.#stretchFrom = 0;
    const after = bytes.subarray(1);
    this.#rescan = {
      buf: rest.length === 0 ? after : Buffer.concat([after, rest]),
      offset: this.#objectStart + 1,
    };
  }

  /**
   * Follows an oversized object byte by byte: strings and escapes, brace
   * depth, and whether what lies outside strings could be JSON at all. A
   * `{` among the buffer's last bytes waits for the next chunk, so that if
   * it opens the next envelope, the break found just after it can resync
   * from it.
   */
  #scanOversized(
    buf: Buffer,
    from: number,
    offset: number,
    final: boolean,
  ): number {
    const stop = final ? buf.length : lookaheadStart(buf, from);
    for (let i = from; i < stop; i++) {
      const byte = buf[i] as number;
      const problem = this.#inString
        ? this.#stringByte(byte)
        : this.#structuralByte(byte);
      if (problem !== null) {
        return this.#breakOversized(buf, i, offset, problem);
      }
      if (byte === CLOSE_BRACE && !this.#inString && this.#depth === 0) {
        this.#appendRaw(buf, this.#stretchFrom, i + 1);
        this.#closeOversized(offset + i + 1);
        return i + 1;
      }
    }
    return stop === buf.length ? stop : this.#carryFrom(buf, stop, offset);
  }

  /** Follows a byte inside a string; says why it cannot be JSON, or null. */
  #stringByte(byte: number): string | null {
    if (this.#escaped) {
      this.#escaped = false;
    } else if (byte === BACKSLASH) {
      this.#escaped = true;
    } else if (byte === QUOTE) {
      this.#inString = false;
    } else if (byte < 0x20) {
      return `${describeByte(byte)} stands inside a string unescaped`;
    }
    return null;
  }

  /** Follows a byte outside strings; says why it cannot be JSON, or null. */
  #structuralByte(byte: number): string | null {
    if (isWhitespace(byte)) return null;
    const previous = this.#structural;
    this.#structural = byte;
    if (byte === QUOTE) {
      this.#inString = true;
      this.#escaped = false;
    } else if (byte === OPEN_BRACE) {
      this.#depth++;
      const valueMayStart =
        previous === COLON || previous === COMMA || previous === OPEN_BRACKET;
      if (!valueMayStart) return 'an object opens where no value may start';
    } else if (byte === CLOSE_BRACE) {
      this.#depth--;
    } else if (!VALUE_BYTES.has(byte)) {
      return `${describeByte(byte)} stands outside a string`;
    }
    return null;
  }

  /**
   * Turns an oversized object whose bytes stopped looking like JSON into a
   * broken one, and resyncs from the last `{` before the bad byte (that is
   * where the next event likely began).
   */
  #breakOversized(
    buf: Buffer,
    at: number,
    offset: number,
    what: string,
  ): number {
    this.#stretchMessage = `The object that opens at byte ${this.#objectStart} runs past ${this.#limits.maxObjectBytes} bytes and is not valid JSON at byte ${offset + at}: ${what}.`;
    this.#stretchCause = StretchCause.NotJson;
    this.#mode = Mode.Resync;
    const brace = buf.lastIndexOf(OPEN_BRACE, at);
    return brace >= this.#stretchFrom ? brace : at;
  }

  #rememberPrevious(buf: Buffer, end: number) {
    if (end === 0) return;
    this.#previousSignificant = this.#significantBefore(buf, end);
    this.#previousByte = buf[end - 1] as number;
  }

  #openStretch(
    offset: number,
    message: string,
    cause: StretchCause = StretchCause.NotJson,
  ) {
    this.#stretchStart = offset;
    this.#stretchMessage = message;
    this.#stretchCause = cause;
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

  /**
   * Ends the stretch at `end`. When its kept bytes are not UTF-8 they also
   * go in base64, and (unless `noteUtf8` is off, for a message that already
   * says so) the message names the first bad byte.
   */
  #closeStretch(end: number, noteUtf8 = true) {
    const length = end - this.#stretchStart;
    const all = Buffer.concat(this.#stretchRaw);
    const rawTruncated = all.length < length;
    const kept = rawTruncated ? wholeCharacters(all) : all;
    const valid = isUtf8(kept);
    const note =
      valid || !noteUtf8
        ? ''
        : ` Its bytes are not valid UTF-8 from byte ${this.#stretchStart + firstInvalidUtf8(kept)}.`;
    this.#pieces.push({
      kind: PieceKind.Unparsable,
      cause: this.#stretchCause,
      index: this.#index++,
      offset: this.#stretchStart,
      length,
      message: `${this.#stretchMessage}${note}`,
      raw: kept.toString('utf8'),
      rawBase64: valid ? null : kept.toString('base64'),
      rawTruncated,
    });
    this.#stretchRaw = [];
    this.#mode = Mode.Between;
  }
}

/**
 * Where an oversized object's scan of a buffer stops to carry the rest:
 * at a `{` too close to the end to tell whether it opens an envelope.
 */
function lookaheadStart(buf: Buffer, from: number): number {
  const brace = buf.lastIndexOf(OPEN_BRACE);
  const near = brace >= from && brace + VERSION_OBJECT.length > buf.length;
  return near ? brace : buf.length;
}

/**
 * The bytes up to the last whole character: cutting a stretch to the raw
 * limit may split one, which must not read as bytes that are not UTF-8.
 */
function wholeCharacters(buf: Buffer): Buffer {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const byte = buf[buf.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue;
    const width = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return width > back ? buf.subarray(0, buf.length - back) : buf;
  }
  return buf;
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
  return `Expected a JSON object at byte ${offset}, found ${describeByte(byte)}.`;
}

function describeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f
    ? JSON.stringify(String.fromCharCode(byte))
    : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}
