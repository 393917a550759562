/**
 * Which log entry an N1MM contact is. N1MM Logger+ gives each contact an `<ID>` (a GUID) that
 * stays the same through edits; versions before the ID field (still in use) identify a contact
 * by the computer that logged it (`<StationName>`) and its timestamp, and a delete carries the
 * call as well. Either way the identity becomes the entry's `qso_id`, so a replace or delete of
 * a contact finds the entry with one lookup, and a contact broadcast twice is one entry.
 */
import type { LogEntry } from '../protocol/entities.js';
import type { N1mmContact, N1mmDelete } from './n1mm-messages.js';

const ID_PREFIX = 'n1mm-';

function byId(id: string): string {
  return `${ID_PREFIX}${id.replace(/[{}]/g, '').toLowerCase()}`;
}

/** `n1mm-<station>-<yyyymmddhhmmss>`: readable, and stable for the contact's life. */
function byStationAndTime(station: string | undefined, timestamp: string): string {
  const name = (station ?? '').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return `${ID_PREFIX}${name === '' ? '' : `${name}-`}${timestamp.replace(/\D/g, '').slice(0, 14)}`;
}

/** The entry id of a contactinfo/contactreplace; none when it has neither ID nor timestamp (other loggers). */
export function contactQsoId(contact: Pick<N1mmContact, 'id' | 'stationname' | 'timestamp'>): string | undefined {
  if (contact.id !== undefined) return byId(contact.id);
  return contact.timestamp === undefined ? undefined : byStationAndTime(contact.stationname, contact.timestamp);
}

/** The entry id a contactreplace had before this edit, when newer versions say (`<oldtimestamp>`). */
export function replacedQsoId(contact: N1mmContact): string | undefined {
  if (contact.id !== undefined || contact.oldtimestamp === undefined) return undefined;
  return byStationAndTime(contact.stationname, contact.oldtimestamp);
}

/**
 * The entry a contactdelete names, if we have it. Without an ID the call must match too: a
 * delete names the contact as it was logged, so another call at that second is another contact.
 */
export function deletedEntry(contact: N1mmDelete, lookup: (qsoId: string) => LogEntry | undefined): LogEntry | undefined {
  if (contact.id !== undefined) {
    const entry = lookup(byId(contact.id));
    if (entry !== undefined || contact.timestamp === undefined) return entry;
  }
  if (contact.timestamp === undefined) return undefined;
  const entry = lookup(byStationAndTime(contact.stationname, contact.timestamp));
  const call = contact.call?.trim().toUpperCase();
  return entry !== undefined && (call === undefined || call === '' || entry.callsign === call) ? entry : undefined;
}
