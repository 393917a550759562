/** Distinct, valid callsigns for generated traffic: K0AAA, K1AAA, … K9AAA, K0AAB, … */

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const PREFIXES = ['K', 'W', 'N', 'DL', 'EA', 'JA', 'VK', 'G', 'F', 'I'];

function suffixFor(n: number): string {
  let suffix = '';
  let rest = n;
  for (let i = 0; i < 3; i += 1) {
    suffix = (LETTERS[rest % 26] ?? 'A') + suffix;
    rest = Math.floor(rest / 26);
  }
  return suffix;
}

/** Unique for `index` below 10 × 10 × 26³ (1,757,600). */
export function callsignFor(index: number): string {
  const prefix = PREFIXES[Math.floor(index / 10) % PREFIXES.length] ?? 'K';
  return `${prefix}${index % 10}${suffixFor(Math.floor(index / 100))}`;
}
