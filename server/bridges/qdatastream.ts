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
/** Julian day of 1970-01-01, the epoch QDate counts from. */
const UNIX_EPOCH_JULIAN_DAY = 2_440_588;
const MS_PER_DAY = 86_400_000;
const TIMESPEC_OFFSET_FROM_UTC = 2;
const TIMESPEC_TIME_ZONE = 3;

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

  /** A QByteArray holding UTF-8; null and empty both read as ''. */
  utf8(): string {
    const length = this.u32();
    if (length === NULL_LENGTH) return '';
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
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
