/**
 * Where a station is, for the map and for bearings: the centre of its Maidenhead locator when
 * it gave one, else the position the country file gives its DXCC entity. And, seen from the
 * operator's own station, the short-path bearing and the distance to it.
 */
import { entityPosition } from './country.js';
import { bearingDeg, distanceKm, type LatLon } from './geo.js';
import { locatorPosition } from './locator-position.js';

export { locatorPosition };

/** The wire fields of a station's whereabouts; each is absent when unknown. */
export interface PositionFields {
  lat?: number;
  lon?: number;
  /** Short-path bearing from the operator's station, whole degrees. */
  bearing?: number;
  /** Great-circle distance from the operator's station, whole km. */
  distance_km?: number;
}

const twoDecimals = (value: number) => Math.round(value * 100) / 100;

/**
 * `origin` is the operator's station (null while no locator is set: then only the position).
 * Positions are rounded to 0.01° (about 1 km): enough for a map, and no street address.
 */
export function positionFields(callsign: string, locator: string | undefined, origin: LatLon | null): PositionFields {
  const position = (locator !== undefined ? locatorPosition(locator) : null) ?? entityPosition(callsign);
  if (position === null) return {};
  const fields: PositionFields = { lat: twoDecimals(position.lat), lon: twoDecimals(position.lon) };
  if (origin === null) return fields;
  return { ...fields, bearing: Math.round(bearingDeg(origin, position)) % 360, distance_km: Math.round(distanceKm(origin, position)) };
}
