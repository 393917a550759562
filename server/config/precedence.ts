/**
 * The one precedence rule of every setting: what was given at start-up (a flag, then the
 * environment) wins over what the operator stored from the console, which wins over the default.
 * Given values apply to this run only; they are never stored.
 */

/** The first of `given`, `stored` that is defined, else `fallback`. */
export function firstDefined<T>(given: T | undefined, stored: T | undefined, fallback: T): T {
  return given ?? stored ?? fallback;
}

/** Field by field: `given` over `stored` over `defaults`; undefined fields do not count. */
export function layered<T extends object>(given: Partial<T>, stored: Partial<T> | null | undefined, defaults: T): T {
  const result = { ...defaults };
  for (const layer of [stored ?? {}, given]) {
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) (result as Record<string, unknown>)[key] = value;
    }
  }
  return result;
}
