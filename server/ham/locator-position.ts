/**
 * The centre of a Maidenhead locator's square (of its subsquare, of its extended square), by
 * @ham2k/lib-maidenhead-grid. No data files: the console's map centres itself with it too.
 */
import { gridToLocation } from '@ham2k/lib-maidenhead-grid';
import { normalizeLocator } from '../protocol/locator.js';
import type { LatLon } from './geo.js';

export function locatorPosition(raw: string): LatLon | null {
  const locator = normalizeLocator(raw);
  if (locator === null) return null;
  const [lat, lon] = gridToLocation(locator);
  return { lat, lon };
}
