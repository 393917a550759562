import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Credentials } from '../../server/auth/credentials.js';
import { generatePassword, hashPassword, verifyPassword } from '../../server/auth/password.js';
import type { PileupStore } from '../../server/store/pileup-store.js';

// A spy around the real timingSafeEqual, to see that secrets are compared in constant time.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

afterEach(() => {
  timingSafeEqual.mockClear();
});

describe('password hashing (scrypt)', () => {
  it('a hash verifies the password it was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('the hash carries its scheme and cost and never the password', async () => {
    const hash = await hashPassword('s3cret-Passw0rd');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('s3cret-Passw0rd');
  });

  it('is salted: the same password hashes differently each time, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', a)).toBe(true);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('compares the derived keys with timingSafeEqual', async () => {
    const hash = await hashPassword('pw-under-test');
    timingSafeEqual.mockClear();
    expect(await verifyPassword('wrong-pw', hash)).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['empty', ''],
    ['a plain-text password', 'pw-under-test'],
    ['another scheme', 'bcrypt$10$abc$def'],
    ['missing salt and hash', 'scrypt$16384$8$1$$'],
    ['impossible cost parameters', 'scrypt$3$8$1$c2FsdA==$aGFzaA=='],
  ])('a malformed stored hash (%s) is a mismatch, not a crash', async (_name, stored) => {
    await expect(verifyPassword('pw-under-test', stored)).resolves.toBe(false);
  });

  it('a truncated stored hash is a mismatch, not a crash', async () => {
    const hash = await hashPassword('pw-under-test');
    const truncated = hash.slice(0, hash.length - 12);
    await expect(verifyPassword('pw-under-test', truncated)).resolves.toBe(false);
  });
});

describe('generated passwords', () => {
  it('are at least 16 characters from an alphabet without look-alike characters', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(password).toMatch(/^[a-zA-Z2-9]+$/);
      expect(password).not.toMatch(/[01lIO]/);
    }
  });

  it('do not repeat', () => {
    const passwords = new Set(Array.from({ length: 200 }, () => generatePassword()));
    expect(passwords.size).toBe(200);
  });
});

/** Just enough of a store for Credentials: nothing stored, and saving is a no-op. */
function memoryStore(): PileupStore {
  const fake: Pick<PileupStore, 'loadCredentials' | 'saveCredentials'> = {
    loadCredentials: () => Promise.resolve(null),
    saveCredentials: () => Promise.resolve(),
  };
  return fake as PileupStore;
}

describe('credential check', () => {
  it('compares an environment password in constant time, whatever its length', async () => {
    const credentials = await Credentials.resolve(memoryStore(), { password: 'env-password' });
    timingSafeEqual.mockClear();
    expect(await credentials.verify('admin', 'x')).toBe(false);
    expect(await credentials.verify('admin', 'env-password-but-much-longer')).toBe(false);
    expect(await credentials.verify('admin', 'env-password')).toBe(true);
    expect(await credentials.verify('root', 'env-password')).toBe(false);
    // Username and password are both compared on every attempt, even when one already failed.
    expect(timingSafeEqual).toHaveBeenCalledTimes(8);
  });

  it('checks a stored hash with scrypt', async () => {
    const credentials = await Credentials.resolve(memoryStore(), {});
    const password = credentials.generatedPassword ?? '';
    expect(await credentials.verify('admin', password)).toBe(true);
    expect(await credentials.verify('admin', `${password}!`)).toBe(false);
  });
});
