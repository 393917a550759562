import { describe, expect, it } from 'vitest';
import { bearingDeg, destination, distanceKm, KM_PER_MILE, longPathDeg } from '../../server/ham/geo.js';
import { locatorPosition, positionFields } from '../../server/ham/position.js';
import { entityPosition } from '../../server/ham/country.js';

const dms = (d: number, m: number, s: number) => d + m / 60 + s / 3600;

describe('great-circle bearing and distance', () => {
  // Movable Type Scripts' worked example ("Calculate distance, bearing and more between
  // Latitude/Longitude points", movable-type.co.uk/scripts/latlong.html): Land's End to
  // John o' Groats is 968.9 km at an initial bearing of 009° 07′ 11″.
  const landsEnd = { lat: dms(50, 3, 59), lon: -dms(5, 42, 53) };
  const johnOGroats = { lat: dms(58, 38, 38), lon: -dms(3, 4, 12) };

  it('matches the published distance of the worked example', () => {
    expect(distanceKm(landsEnd, johnOGroats)).toBeCloseTo(968.9, 1);
  });

  it('matches the published initial bearing of the worked example', () => {
    expect(bearingDeg(landsEnd, johnOGroats)).toBeCloseTo(dms(9, 7, 11), 3);
  });

  it('gives due east, south, west and north on the equator and meridian', () => {
    const origin = { lat: 0, lon: 0 };
    expect(bearingDeg(origin, { lat: 0, lon: 10 })).toBeCloseTo(90, 6);
    expect(bearingDeg(origin, { lat: -10, lon: 0 })).toBeCloseTo(180, 6);
    expect(bearingDeg(origin, { lat: 0, lon: -10 })).toBeCloseTo(270, 6);
    expect(bearingDeg(origin, { lat: 10, lon: 0 })).toBeCloseTo(0, 6);
  });

  it('measures a quarter of the earth from the equator to a pole', () => {
    expect(distanceKm({ lat: 0, lon: 0 }, { lat: 90, lon: 0 })).toBeCloseTo((Math.PI / 2) * 6371, 6);
  });

  it('turns the short path round for the long path', () => {
    expect(longPathDeg(45)).toBe(225);
    expect(longPathDeg(300)).toBe(120);
  });

  it('converts with the international mile', () => {
    expect(KM_PER_MILE).toBe(1.609344);
  });
});

describe('locator positions', () => {
  it('puts a locator at the centre of its square, subsquare or extended square', () => {
    // JO62: 12–14° E, 52–53° N; JO62qm: the subsquare 13.333–13.417° E, 52.5–52.542° N.
    expect(locatorPosition('JO62')).toEqual({ lat: 52.5, lon: 13 });
    const berlin = locatorPosition('jo62QM');
    expect(berlin?.lat).toBeCloseTo(52.5208, 3);
    expect(berlin?.lon).toBeCloseTo(13.375, 3);
    const extended = locatorPosition('JO62qm05');
    expect(extended?.lat).toBeCloseTo(52.5 + 5 / 240 + 1 / 480, 6);
    expect(extended?.lon).toBeCloseTo(12 + 16 / 12 + 0 / 120 + 1 / 240, 6);
  });

  it('places the southern and western hemispheres with negative degrees', () => {
    // FN31pr is Newington, Connecticut (W1AW); QF56 is Sydney.
    const newington = locatorPosition('FN31pr');
    expect(newington?.lat).toBeCloseTo(41.729, 2);
    expect(newington?.lon).toBeCloseTo(-72.708, 2);
    expect(locatorPosition('QF56')).toEqual({ lat: -33.5, lon: 151 });
  });

  it('refuses what is not a locator', () => {
    for (const bad of ['', 'J', 'JO', 'JO6', 'SS12', 'JO62zz', 'JO62qm0', 'JO62qm05ab', 'hello']) expect(locatorPosition(bad)).toBeNull();
  });
});

describe('a station’s whereabouts', () => {
  it('reads the country file’s longitudes as west-positive: the USA is west, Japan east', () => {
    expect(entityPosition('W1AW')?.lon).toBeLessThan(-60);
    expect(entityPosition('JA1XYZ')?.lon).toBeGreaterThan(120);
    expect(entityPosition('VK2DEF')?.lat).toBeLessThan(-10);
  });

  it('uses the caller’s locator when known, else the entity position', () => {
    expect(positionFields('G0ABC', 'IO91wm', null)).toEqual({ lat: 51.52, lon: -0.13 });
    expect(positionFields('G0ABC', undefined, null)).toEqual({ lat: 52.77, lon: -1.47 });
  });

  it('adds the bearing and distance from the operator’s station once it has a locator', () => {
    const fromBerlin = positionFields('W1AW', 'FN31pr', locatorPosition('JO62qm'));
    expect(fromBerlin.bearing).toBe(Math.round(bearingDeg(locatorPosition('JO62qm')!, locatorPosition('FN31pr')!)));
    // Berlin to Newington is about 6,300 km, heading north-west (about 300°).
    expect(fromBerlin.distance_km).toBeGreaterThan(6200);
    expect(fromBerlin.distance_km).toBeLessThan(6400);
    expect(fromBerlin.bearing).toBeGreaterThan(290);
    expect(fromBerlin.bearing).toBeLessThan(305);
  });

  it('gives nothing for a call in no entity and without a locator', () => {
    expect(positionFields('DL1ABC/MM', undefined, { lat: 0, lon: 0 })).toEqual({});
  });
});

describe('destination', () => {
  it('goes back to the point a bearing and distance lead to', () => {
    const start = { lat: 52.52, lon: 13.375 };
    const target = { lat: 41.73, lon: -72.71 };
    const there = destination(start, bearingDeg(start, target), distanceKm(start, target));
    expect(there.lat).toBeCloseTo(target.lat, 6);
    expect(there.lon).toBeCloseTo(target.lon, 6);
  });

  it('walks a quarter of the earth due east along the equator', () => {
    const there = destination({ lat: 0, lon: 170 }, 90, (Math.PI / 2) * 6371);
    expect(there.lat).toBeCloseTo(0, 6);
    expect(there.lon).toBeCloseTo(-100, 6);
  });
});
