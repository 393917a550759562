/**
 * Who the operator is. `ADMIN_USERNAME`/`ADMIN_PASSWORD` from the environment win; otherwise the
 * stored credentials; on a fresh data directory with neither, a strong password is generated,
 * only its hash is stored, and the plain password is handed back once to be shown.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PileupStore } from '../store/pileup-store.js';
import { generatePassword, hashPassword, verifyPassword } from './password.js';

export const DEFAULT_USERNAME = 'admin';

export interface CredentialEnv {
  ADMIN_USERNAME?: string | undefined;
  ADMIN_PASSWORD?: string | undefined;
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

  static async resolve(store: PileupStore, env: CredentialEnv): Promise<Credentials> {
    const envUser = env.ADMIN_USERNAME?.trim() || undefined;
    const stored = await store.loadCredentials();
    if (env.ADMIN_PASSWORD) {
      return new Credentials(
        store,
        { username: envUser ?? stored?.username ?? DEFAULT_USERNAME, envPassword: env.ADMIN_PASSWORD },
        'env',
      );
    }
    if (stored) {
      return new Credentials(
        store,
        { username: envUser ?? stored.username, passwordHash: stored.password_hash },
        'stored',
      );
    }
    const password = generatePassword();
    const username = envUser ?? DEFAULT_USERNAME;
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
