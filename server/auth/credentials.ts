/**
 * Who the operator is. `ADMIN_USERNAME`/`ADMIN_PASSWORD` from the environment win; otherwise the
 * stored credentials; on a fresh data directory with neither, a strong password is generated,
 * only its hash is stored, and the plain password is handed back once to be shown.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { DEFAULTS } from '../config/defaults.js';
import { firstDefined } from '../config/precedence.js';
import type { PileupStore } from '../store/pileup-store.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

/** ADMIN_USERNAME / ADMIN_PASSWORD as server/config/given.ts read them. */
export interface GivenCredentials {
  username?: string | undefined;
  password?: string | undefined;
}

export type CredentialSource = 'env' | 'stored' | 'generated';

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
    const stored = await store.loadCredentials();
    const username = firstDefined(given.username, stored?.username, DEFAULTS.username);
    if (given.password !== undefined) return new Credentials(store, { username, envPassword: given.password }, 'env');
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
}
