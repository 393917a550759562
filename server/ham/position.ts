/**
 * Where a station is, for the map and for bearings: the centre of its Maidenhead locator when
 * it gave one, else the position the country file gives its DXCC entity. And, seen from the
 * operator's own station, the short-path bearing and the distance to it.
 */
import { gridToLocation } from '@ham2k/lib-maidenhead-grid';
import { normalizeLocator } from '../protocol/locator.js';
import { entityPosition } from './country.js';
import { bearingDeg, distanceKm, type LatLon } from './geo.js';

/** The centre of a locator's square (of its subsquare, of its extended square), or null when it is not one. */
export function locatorPosition(raw: string): LatLon | null {
  const locator = normalizeLocator(raw);
  if (locator === null) return null;
  const [lat, lon] = gridToLocation(locator);
  return { lat, lon };
}

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
