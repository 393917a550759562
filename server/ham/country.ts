/**
 * Offline country lookup: callsign → DXCC entity, continent and CQ zone, from the AD1C "BigCTY"
 * country file bundled in @ham2k/lib-country-files. @ham2k/lib-callsigns splits the call first,
 * so a location prefix or suffix (`EA8/DL1ABC`, `DL1ABC/EA8`) decides the entity, while operating
 * suffixes (`/P`, `/QRP`) do not.
 */
import { parseCallsign } from '@ham2k/lib-callsigns';
import { annotateFromCountryFile, useBuiltinCountryFile } from '@ham2k/lib-country-files';
import type { LatLon } from './geo.js';

export interface Country {
  /** The entity's name in the country file, e.g. "Canary Islands". */
  country: string;
  dxcc: number;
  /** AF, AN, AS, EU, NA, OC or SA. */
  continent: string;
  cq_zone: number;
}

/** Maritime and aeronautical mobile stations are in no DXCC entity, whatever their home call. */
const NO_ENTITY_SUFFIXES = new Set(['MM', 'AM']);
/** The queue, the current QSO and every log page ask for the same few calls again and again. */
const CACHE_LIMIT = 5_000;

/** An entity with the position the country file gives it (its centre, or its main island). */
interface Entity {
  country: Country;
  position: LatLon | null;
}

let loaded = false;
const cache = new Map<string, Entity | null>();

function lookup(callsign: string): Entity | null {
  if (callsign.split('/').slice(1).some((part) => NO_ENTITY_SUFFIXES.has(part))) return null;
  if (!loaded) {
    useBuiltinCountryFile();
    loaded = true;
  }
  const info = annotateFromCountryFile(parseCallsign(callsign));
  const { entityName, dxccCode, continent, cqZone, lat, lon } = info;
  if (entityName === undefined || dxccCode === undefined || continent === undefined || cqZone === undefined) return null;
  return {
    country: { country: entityName, dxcc: dxccCode, continent, cq_zone: cqZone },
    // The country file counts longitude west-positive (cty.dat's convention); we count east-positive.
    position: lat === undefined || lon === undefined ? null : { lat, lon: -lon },
  };
}

function entityOf(callsign: string): Entity | null {
  const cached = cache.get(callsign);
  if (cached !== undefined) return cached;
  let found: Entity | null;
  try {
    found = lookup(callsign);
  } catch {
    found = null;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(callsign, found);
  return found;
}

/** The entity of a normalized callsign, or null when no prefix matches: never an error. */
export function countryOf(callsign: string): Country | null {
  return entityOf(callsign)?.country ?? null;
}

/** Where the country file puts a callsign's entity, or null when no prefix matches. */
export function entityPosition(callsign: string): LatLon | null {
  return entityOf(callsign)?.position ?? null;
}

/** `countryOf` as optional fields to spread into a reply: nothing at all when unknown. */
export function countryFields(callsign: string): Partial<Country> {
  return countryOf(callsign) ?? {};
}
