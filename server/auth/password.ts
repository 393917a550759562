/**
 * Password hashing with scrypt (salted, memory-hard), constant-time comparison, and generation
 * of the first-run password.
 *
 * Every scrypt runs in its own lane: one at a time, at most PASSWORD_CHECKS_WAITING waiting.
 * Node runs scrypt on libuv's thread pool (4 threads), which also does every file write: with
 * one hash at a time, three threads stay free for the disk, so a login flood cannot hold up the
 * replies that wait for their writes. After each hash the lane rests as long as the hash took, so
 * hashing uses at most half of one core however many logins arrive, and the event loop keeps the
 * CPU it needs on a small, busy machine (README, Performance, row 6). A hash beyond the waiting room is
 * refused at once (LaneFullError) rather than queued.
 */
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { LaneFullError, Semaphore } from '../async/semaphore.js';

const KEY_LENGTH = 32;
const COST = { N: 16384, r: 8, p: 1 } as const;
/** No 0/O, 1/l/I: the operator may have to read it off the screen and type it elsewhere. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GENERATED_LENGTH = 20;

export const PASSWORD_CHECKS_AT_ONCE = 1;
export const PASSWORD_CHECKS_WAITING = 64;
const lane = new Semaphore('password checks', PASSWORD_CHECKS_AT_ONCE, { maxWaiting: PASSWORD_CHECKS_WAITING, restRatio: 1 });

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return lane.run(
    () =>
      new Promise((resolve, reject) => {
        scryptCallback(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64 parts: the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  let actual: Buffer;
  try {
    actual = await scrypt(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  } catch (error) {
    if (error instanceof LaneFullError) throw error;
    // A damaged stored hash (cost parameters scrypt refuses) must read as a mismatch, not crash the login.
    return false;
  }
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** About 117 bits of entropy. */
export function generatePassword(): string {
  return Array.from({ length: GENERATED_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
