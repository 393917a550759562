/**
 * Operator sessions: 256-bit tokens from the CSPRNG, stored only as SHA-256 hashes, valid 24 h,
 * surviving restarts. An expired token is remembered for 7 days so its holder hears
 * SESSION_EXPIRED rather than AUTHENTICATION_REQUIRED.
 *
 * A token issued "in the future" (more than MAX_ISSUE_SKEW_MS after the clock now reads) was
 * issued while the clock ran fast: its 24 h would start over once the clock is put right, so it
 * has expired, for good (its expiry is moved to now and stored).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import type { PileupStore, SessionRecord } from '../store/pileup-store.js';

export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;
export const EXPIRED_MEMORY_MS = 7 * 24 * 60 * 60 * 1000;
/** Clocks of one machine disagree by seconds; a token issued more than this ahead of now was issued on a wrong clock. */
export const MAX_ISSUE_SKEW_MS = 5 * 60 * 1000;

export type SessionCheck = 'valid' | 'expired' | 'unknown';

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class Sessions {
  private constructor(
    private readonly store: PileupStore,
    private readonly clock: Clock,
    private readonly byHash: Map<string, SessionRecord>,
    /** sessions.db was damaged, so every session ended at start-up (one of its lines may have been a logout). */
    readonly endedByDamage = false,
  ) {}

  static async load(store: PileupStore, clock: Clock): Promise<Sessions> {
    const records = await store.loadSessions();
    if (records === 'damaged') {
      await store.clearSessions();
      return new Sessions(store, clock, new Map(), true);
    }
    const sessions = new Sessions(store, clock, new Map(records.map((r) => [r.token_hash, r])));
    const now = clock();
    await Promise.all(records.filter((record) => sessions.issuedAhead(record, now)).map((record) => sessions.expire(record, now)));
    await sessions.forgetStale();
    return sessions;
  }

  async create(): Promise<{ token: string; expiresAt: number }> {
    // A long-running app prunes here too, not only at start-up, so old sessions do not pile up.
    await this.forgetStale();
    const token = randomBytes(32).toString('hex');
    const now = this.clock();
    const record: SessionRecord = { token_hash: hashToken(token), created_at: now, expires_at: now + SESSION_TTL_MS };
    await this.store.putSession(record);
    this.byHash.set(record.token_hash, record);
    return { token, expiresAt: record.expires_at };
  }

  check(token: string): SessionCheck {
    const record = this.byHash.get(hashToken(token));
    if (!record) return 'unknown';
    const now = this.clock();
    // A failed store write leaves it expired in memory for this run; the next start expires it again.
    if (this.issuedAhead(record, now)) this.expire(record, now).catch(() => undefined);
    if (now < record.expires_at) return 'valid';
    // Past its memory the token is forgotten even if this run has not pruned it yet.
    return now - record.expires_at > EXPIRED_MEMORY_MS ? 'unknown' : 'expired';
  }

  async revoke(token: string): Promise<void> {
    const hash = hashToken(token);
    await this.store.deleteSessions([hash]);
    this.byHash.delete(hash);
  }

  /** After a password change every session ends. */
  async revokeAll(): Promise<void> {
    await this.store.deleteSessions([...this.byHash.keys()]);
    this.byHash.clear();
  }

  get activeCount(): number {
    const now = this.clock();
    return [...this.byHash.values()].filter((r) => now < r.expires_at && !this.issuedAhead(r, now)).length;
  }

  private issuedAhead(record: SessionRecord, now: number): boolean {
    return record.created_at - now > MAX_ISSUE_SKEW_MS;
  }

  /** Ends a session now, in memory at once and then on disk. */
  private async expire(record: SessionRecord, now: number): Promise<void> {
    record.created_at = now;
    record.expires_at = now;
    await this.store.putSession(record);
  }

  /** Drops sessions that expired more than 7 days ago. */
  async forgetStale(): Promise<void> {
    const cutoff = this.clock() - EXPIRED_MEMORY_MS;
    const stale = [...this.byHash.values()].filter((r) => r.expires_at < cutoff).map((r) => r.token_hash);
    await this.store.deleteSessions(stale);
    for (const hash of stale) this.byHash.delete(hash);
  }
}
