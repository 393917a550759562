/**
 * Reads Qt's QDataStream encoding (big-endian) as WSJT-X and JTDX write it: integers, booleans,
 * `utf8` strings (a QByteArray: u32 length, 0xFFFFFFFF for null) and QDateTime. Every read checks
 * the length first, so a truncated datagram throws instead of reading garbage.
 */
export class TruncatedError extends Error {
  constructor() {
    super('datagram is truncated');
  }
}

const NULL_LENGTH = 0xffffffff;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Julian day of 1970-01-01, the epoch QDate counts from. */
const UNIX_EPOCH_JULIAN_DAY = 2_440_588;
const MS_PER_DAY = 86_400_000;
const TIMESPEC_OFFSET_FROM_UTC = 2;
const TIMESPEC_TIME_ZONE = 3;

/** Text as UTF-8 when it is valid UTF-8, else as Latin-1 (how WSJT-X writes its ADIF). */
export function utf8OrLatin1(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

export class QDataStreamReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(bytes: number): number {
    if (this.remaining < bytes) throw new TruncatedError();
    const at = this.offset;
    this.offset += bytes;
    return at;
  }

  u8(): number {
    return this.buffer.readUInt8(this.take(1));
  }

  bool(): boolean {
    return this.u8() !== 0;
  }

  u32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  i32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  u64(): bigint {
    return this.buffer.readBigUInt64BE(this.take(8));
  }

  i64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  /**
   * A QByteArray holding UTF-8; null and empty both read as ''. Text that is not valid UTF-8 is
   * Latin-1 (WSJT-X writes its Logged ADIF that way), never replacement characters.
   */
  utf8(): string {
    const length = this.u32();
    if (length === NULL_LENGTH) return '';
    const at = this.take(length);
    return utf8OrLatin1(this.buffer.subarray(at, at + length));
  }

  /** A QDateTime as epoch milliseconds (UTC), or null when it is the invalid/null date-time. */
  dateTime(): number | null {
    const julianDay = this.i64();
    const msOfDay = this.u32();
    const spec = this.u8();
    let offsetSeconds = 0;
    if (spec === TIMESPEC_OFFSET_FROM_UTC) offsetSeconds = this.i32();
    // A named time zone follows as its IANA id; WSJT-X sends UTC, so the name is read and dropped.
    if (spec === TIMESPEC_TIME_ZONE) this.utf8();
    if (julianDay === 0n || msOfDay === NULL_LENGTH) return null;
    const ms = (Number(julianDay) - UNIX_EPOCH_JULIAN_DAY) * MS_PER_DAY + msOfDay - offsetSeconds * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
}

/** Writes Qt's QDataStream encoding (big-endian), the few types Pileup Buster sends to WSJT-X. */
export class QDataStreamWriter {
  private readonly parts: Buffer[] = [];

  private push(bytes: number, write: (buffer: Buffer) => void): this {
    const buffer = Buffer.alloc(bytes);
    write(buffer);
    this.parts.push(buffer);
    return this;
  }

  u8(value: number): this {
    return this.push(1, (buffer) => buffer.writeUInt8(value));
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  u16(value: number): this {
    return this.push(2, (buffer) => buffer.writeUInt16BE(value));
  }

  u32(value: number): this {
    return this.push(4, (buffer) => buffer.writeUInt32BE(value));
  }

  utf8(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    this.u32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /** A QColor: spec (1 = RGB, 0 = invalid), then alpha, red, green, blue and padding, 16 bits each. */
  color(rgb: readonly [number, number, number] | null): this {
    if (rgb === null) return this.u8(0).u16(0).u16(0).u16(0).u16(0).u16(0);
    const [red, green, blue] = rgb;
    return this.u8(1).u16(0xffff).u16(red * 257).u16(green * 257).u16(blue * 257).u16(0);
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}
