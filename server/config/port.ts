/** The one rule for a port given on a command line, shared by the headless CLI and the desktop app. */

/** The port number, or null when `raw` is not one. */
export function parsePortArgument(raw: string): number | null {
  // Digits only: Number() would read "" as 0 (a random port) and accept "1e3" or "0x1F".
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return port >= 0 && port <= 65535 ? port : null;
}

export function portError(flag: string, raw: unknown): string {
  return `${flag} must be a number from 0 to 65535, got ${JSON.stringify(raw)}`;
}
