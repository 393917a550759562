/** Bearings and distances as the console shows them, in the unit the operator chose. */
import { KM_PER_MILE } from '../../server/ham/geo.js';
import type { DistanceUnit } from '../../server/protocol/station.js';

/** `6,312 km` or `3,922 mi`. */
export function distanceLabel(km: number, unit: DistanceUnit): string {
  const value = unit === 'mi' ? km / KM_PER_MILE : km;
  return `${Math.round(value).toLocaleString('en')} ${unit}`;
}

/** `297°` (short path, from true north). */
export function bearingLabel(degrees: number): string {
  return `${Math.round(degrees) % 360}°`;
}

/** `297° · 6,312 km`, or null when the server sent neither (no station locator yet). */
export function bearingAndDistance(place: { bearing?: number; distance_km?: number }, unit: DistanceUnit): string | null {
  const parts = [
    place.bearing !== undefined ? bearingLabel(place.bearing) : null,
    place.distance_km !== undefined ? distanceLabel(place.distance_km, unit) : null,
  ].filter((part) => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
