/** Modes as the core keeps them: trimmed, upper case (`ft8` from one logger is `FT8` from another). */
export function normalizeMode(raw: string | null | undefined): string | undefined {
  const mode = raw?.trim().toUpperCase();
  return mode === undefined || mode === '' ? undefined : mode;
}
