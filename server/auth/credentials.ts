/**
 * Who the operator is. `ADMIN_USERNAME`/`ADMIN_PASSWORD` from the environment win; otherwise the
 * stored credentials; on a fresh data directory with neither, a strong password is generated,
 * only its hash is stored, and the plain password is handed back once to be shown.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULTS } from '../config/defaults.js';
import { firstDefined } from '../config/precedence.js';
import { ErrorCode, ProtocolError } from '../protocol/errors.js';
import type { PileupStore } from '../store/pileup-store.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

/** ADMIN_USERNAME / ADMIN_PASSWORD as server/config/given.ts read them. */
export interface GivenCredentials {
  username?: string | undefined;
  password?: string | undefined;
}

/** `unreadable`: the stored record is damaged, and every login is refused until a reset (fail closed). */
export type CredentialSource = 'env' | 'stored' | 'generated' | 'unreadable';

export const CREDENTIALS_UNREADABLE =
  'Logins are refused: the stored admin credentials could not be read (settings.db is damaged). ' +
  'Set ADMIN_PASSWORD, or reset the password with npm run serve -- --reset-password (desktop app: Reset password in the start-up dialog).';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time in the length of the inputs: both sides are compared as fixed-size digests. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

export class Credentials {
  private constructor(
    private readonly store: PileupStore,
    private current: { username: string; passwordHash?: string; envPassword?: string },
    private sourceValue: CredentialSource,
    /** The generated password, present only on the run that created it. */
    readonly generatedPassword?: string,
  ) {}

  static async resolve(store: PileupStore, given: GivenCredentials): Promise<Credentials> {
    const loaded = await store.loadCredentials();
    const stored = loaded === 'unreadable' ? null : loaded;
    const username = firstDefined(given.username, stored?.username, DEFAULTS.username);
    if (given.password !== undefined) return new Credentials(store, { username, envPassword: given.password }, 'env');
    // An older password must not work again because the newest record of it is damaged.
    if (loaded === 'unreadable') return new Credentials(store, { username }, 'unreadable');
    if (stored) return new Credentials(store, { username, passwordHash: stored.password_hash }, 'stored');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    await store.saveCredentials({ username, password_hash: passwordHash });
    return new Credentials(store, { username, passwordHash }, 'generated', password);
  }

  get username(): string {
    return this.current.username;
  }

  get source(): CredentialSource {
    return this.sourceValue;
  }

  async verify(username: string, password: string): Promise<boolean> {
    if (this.sourceValue === 'unreadable') {
      throw new ProtocolError(ErrorCode.AUTHENTICATION_FAILED, CREDENTIALS_UNREADABLE, { credentials_unreadable: true });
    }
    const { envPassword, passwordHash } = this.current;
    const passwordOk =
      envPassword !== undefined
        ? sameSecret(password, envPassword)
        : passwordHash !== undefined && (await verifyPassword(password, passwordHash));
    return sameSecret(username, this.current.username) && passwordOk;
  }

  /** Stores new credentials; they win over the environment from now on in this run. */
  async change(username: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.store.saveCredentials({ username, password_hash: passwordHash });
    this.current = { username, passwordHash };
    this.sourceValue = 'stored';
  }

  /** The documented reset: a new generated password replaces the stored one; returns it, to be shown once. */
  async reset(): Promise<string> {
    const password = generatePassword();
    await this.change(this.current.username, password);
    return password;
  }
}
