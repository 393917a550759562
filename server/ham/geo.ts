/**
 * Great-circle geometry on a spherical earth (mean radius 6371 km, as the usual ham calculators
 * use): short-path bearing and distance from one position to another. Pure and dependency-free.
 */
export interface LatLon {
  /** Degrees north. */
  lat: number;
  /** Degrees east. */
  lon: number;
}

export const EARTH_RADIUS_KM = 6371;
export const KM_PER_MILE = 1.609344;

const radians = (degrees: number) => (degrees * Math.PI) / 180;
const degrees = (radians: number) => (radians * 180) / Math.PI;

/** Great-circle distance in km (haversine, which stays accurate for short distances). */
export function distanceKm(from: LatLon, to: LatLon): number {
  const dLat = radians(to.lat - from.lat);
  const dLon = radians(to.lon - from.lon);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(radians(from.lat)) * Math.cos(radians(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** The initial (short-path) bearing from `from` to `to`, degrees clockwise from true north, in [0, 360). */
export function bearingDeg(from: LatLon, to: LatLon): number {
  const φ1 = radians(from.lat);
  const φ2 = radians(to.lat);
  const Δλ = radians(to.lon - from.lon);
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  return (degrees(Math.atan2(y, x)) + 360) % 360;
}

/** The long path points the other way round the globe. */
export function longPathDeg(shortPathDeg: number): number {
  return (shortPathDeg + 180) % 360;
}

/** The point `km` away from `from` along the initial bearing `bearing` (degrees): where a beam heading points. */
export function destination(from: LatLon, bearing: number, km: number): LatLon {
  const δ = km / EARTH_RADIUS_KM;
  const θ = radians(bearing);
  const φ1 = radians(from.lat);
  const λ1 = radians(from.lon);
  const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
  const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
  return { lat: degrees(φ2), lon: ((degrees(λ2) + 540) % 360) - 180 };
}
