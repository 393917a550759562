/**
 * Cuts an ADIF (`.adi`) text, arriving in pieces of any size, into the text of whole records,
 * so an import never holds more than one record plus one piece. Field data is skipped by its
 * declared length, so a `<EOR>` inside a comment is data, not the end of a record; the header
 * (everything before `<EOH>`) and text between records are dropped, and whatever follows the
 * last `<EOR>` (a stray `<EOF>`, a signature) is handed back by `end()` to be reported.
 *
 * Why not a library: adif-parser-ts (which reads the fields of each record here) only parses a
 * whole string, and throws on a stray tag anywhere in it; tcadif's streaming AdifReader drops
 * application-defined fields (our own `APP_PILEUPBUSTER_*`) and ends the stream at the first
 * record it finds invalid. Neither can read a real 60 MB log in pieces, tolerating junk.
 */

/** `<NAME:LENGTH[:TYPE]>` or `<NAME>`, matched where a `<` is (sticky). */
const TAG = /<([A-Za-z0-9_]+)(?::(\d{1,9}))?(?::[A-Za-z])?>/y;
/** A tag is never longer than this; a `<` with no `>` within it is text, not a tag. */
const MAX_TAG = 64;

export class AdifRecordSplitter {
  private pending = '';
  /** Where the record being read starts in `pending`, or -1 before its first field. */
  private recordStart = -1;
  /** Scanning position in `pending`. */
  private at = 0;
  private sawRecord = false;

  /** Adds a piece of text; returns the records it completed, each ending with its `<EOR>`. */
  push(text: string): string[] {
    // scan() keeps only the unfinished record (or the unread tail) between pieces.
    this.pending += text;
    return this.scan(false);
  }

  /** No more text: what was left after the last complete record, trimmed ('' when nothing). */
  end(): string {
    this.scan(true);
    const rest = this.pending.slice(this.recordStart >= 0 ? this.recordStart : this.at).trim();
    this.pending = '';
    this.at = 0;
    this.recordStart = -1;
    return rest;
  }

  private scan(final: boolean): string[] {
    const records: string[] = [];
    const text = this.pending;
    for (;;) {
      const open = text.indexOf('<', this.at);
      if (open < 0) {
        if (this.recordStart < 0) this.at = text.length;
        break;
      }
      TAG.lastIndex = open;
      const tag = TAG.exec(text);
      if (tag === null) {
        // Not a tag (yet): wait for more text unless this `<` clearly starts none.
        if (!final && text.length - open < MAX_TAG && !text.includes('>', open)) {
          this.at = open;
          break;
        }
        this.at = open + 1;
        continue;
      }
      const name = (tag[1] ?? '').toUpperCase();
      const end = open + tag[0].length;
      if (name === 'EOH' && !this.sawRecord) {
        this.recordStart = -1;
        this.at = end;
        continue;
      }
      if (name === 'EOR') {
        if (this.recordStart >= 0) records.push(text.slice(this.recordStart, end));
        this.sawRecord = true;
        this.recordStart = -1;
        this.at = end;
        continue;
      }
      const length = tag[2] === undefined ? 0 : Number(tag[2]);
      if (end + length > text.length && !final) {
        this.at = open;
        break;
      }
      if (this.recordStart < 0) this.recordStart = open;
      this.at = Math.min(end + length, text.length);
    }
    // Keep the unfinished record (or the unread tail) for the next piece.
    const keepFrom = this.recordStart >= 0 ? this.recordStart : this.at;
    if (keepFrom > 0) {
      this.pending = text.slice(keepFrom);
      this.at -= keepFrom;
      if (this.recordStart >= 0) this.recordStart -= keepFrom;
    }
    return records;
  }
}
