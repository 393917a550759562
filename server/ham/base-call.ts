/**
 * The home call inside a portable or visiting form: `G0ABC/P`, `EA8/G0ABC` and `G0ABC/EA8/QRP`
 * are all G0ABC. @ham2k/lib-callsigns splits the call (the same split the country lookup uses);
 * it is small and has no data files, so the console's ban dialog uses this rule too.
 */
import { parseCallsign } from '@ham2k/lib-callsigns';

/** The base call of a normalized callsign; the callsign itself when it cannot be split. */
export function baseCallsign(callsign: string): string {
  try {
    return parseCallsign(callsign).baseCall ?? callsign;
  } catch {
    return callsign;
  }
}

/** Whether two normalized callsigns are forms of the same station's call. */
export function sameStation(a: string, b: string): boolean {
  return a === b || baseCallsign(a) === baseCallsign(b);
}
