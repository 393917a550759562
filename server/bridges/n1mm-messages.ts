/**
 * N1MM Logger+ UDP broadcasts: small flat XML documents (`<contactinfo>`, `<contactreplace>`,
 * `<contactdelete>`, `<RadioInfo>`) with one level of child elements. Other loggers (DXLog,
 * Log4OM, …) send N1MM-style contactinfo too, with fields missing, reordered or in another case,
 * so the reader is tolerant: it takes the root element's name and its simple children, names
 * compared case-insensitively, and validates only the fields it uses. Frequencies are in tens of Hz.
 */
import { z } from 'zod';
import { mhzFromHz } from '../ham/frequency.js';
import { MalformedDatagramError } from './wsjtx-messages.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d{1,6}|#x[0-9a-f]{1,6});/gi, (match, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? match;
  });
}

/** The root element's lower-case name and its simple children, also lower-case; empty elements read as ''. */
function readFlatXml(text: string): { root: string; fields: Record<string, string> } {
  const body = text.replace(/^\uFEFF?\s*(<\?xml[^>]*\?>)?\s*/, '');
  const root = /^<([A-Za-z][\w.-]*)[^>]*>/.exec(body);
  if (!root?.[1]) throw new MalformedDatagramError('not an XML document');
  const rootName = root[1];
  if (!new RegExp(`</${rootName}\\s*>\\s*$`).test(body)) throw new MalformedDatagramError(`<${rootName}> is not closed`);
  const fields: Record<string, string> = {};
  for (const match of body.matchAll(/<([A-Za-z][\w.-]*)\s*(?:\/>|>([^<]*)<\/\1\s*>)/g)) {
    const name = (match[1] ?? '').toLowerCase();
    if (name !== rootName.toLowerCase() && !(name in fields)) fields[name] = decodeEntities(match[2] ?? '').trim();
  }
  return { root: rootName.toLowerCase(), fields };
}

const text = (max: number) => z.string().max(max).optional();
const tensOfHz = z
  .string()
  .regex(/^\d{1,12}(\.\d+)?$/)
  .transform((value) => mhzFromHz(Number(value) * 10))
  .optional()
  .catch(undefined);
/** N1MM's UTC timestamp, `2020-01-17 16:43:38`. */
const n1mmTimestamp = z
  .string()
  .regex(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?/)
  .transform((value) => new Date(`${value.replace(' ', 'T').slice(0, 19)}Z`))
  .refine((date) => !Number.isNaN(date.getTime()))
  .transform((date) => date.toISOString())
  .optional()
  .catch(undefined);
const contactId = z.string().regex(/^[A-Za-z0-9{}-]{1,64}$/).optional().catch(undefined);

/** The computer that logged the contact: with the timestamp, a contact's identity when there is no `<ID>`. */
const stationName = z.string().max(64).optional().catch(undefined);

const contactSchema = z.object({
  call: z.string().min(1).max(32),
  mode: text(16),
  rxfreq: tensOfHz,
  txfreq: tensOfHz,
  snt: text(8),
  rcv: text(8),
  timestamp: n1mmTimestamp,
  id: contactId,
  stationname: stationName,
  /** Sent by newer versions on an edit: the contact's timestamp before it. */
  oldtimestamp: n1mmTimestamp,
});

const deleteSchema = z
  .object({ call: z.string().max(32).optional(), id: contactId, timestamp: n1mmTimestamp, stationname: stationName })
  .refine((value) => value.id !== undefined || value.timestamp !== undefined);

/** What the operator typed into the Entry Window's call field (empty once it is cleared). */
const lookupSchema = z.object({ call: z.string().max(32).optional().catch(undefined) });

const radioSchema = z.object({
  freq: tensOfHz,
  txfreq: tensOfHz,
  mode: text(16),
  radionr: text(4),
  activeradionr: text(4),
});

export type N1mmContact = z.infer<typeof contactSchema>;
export type N1mmDelete = z.infer<typeof deleteSchema>;

export type N1mmMessage =
  | { type: 'contactinfo' | 'contactreplace'; contact: N1mmContact }
  | { type: 'contactdelete'; contact: N1mmDelete }
  | { type: 'lookupinfo'; call: string }
  | { type: 'radioinfo'; frequency: string | undefined; mode: string | undefined; focused: boolean }
  | { type: 'other'; root: string };

export function parseN1mmDatagram(datagram: Buffer): N1mmMessage {
  const { root, fields } = readFlatXml(datagram.toString('utf8'));
  const invalid = (what: string) => new MalformedDatagramError(`${what} without the fields it needs`);
  switch (root) {
    case 'contactinfo':
    case 'contactreplace': {
      const parsed = contactSchema.safeParse(fields);
      if (!parsed.success) throw invalid(root);
      return { type: root, contact: parsed.data };
    }
    case 'contactdelete': {
      const parsed = deleteSchema.safeParse(fields);
      if (!parsed.success) throw invalid(root);
      return { type: 'contactdelete', contact: parsed.data };
    }
    case 'lookupinfo':
      return { type: 'lookupinfo', call: lookupSchema.parse(fields).call ?? '' };
    case 'radioinfo': {
      const parsed = radioSchema.safeParse(fields);
      if (!parsed.success) throw invalid(root);
      const { freq, txfreq, mode, radionr, activeradionr } = parsed.data;
      // With two radios (SO2R) only the one being operated sets our frequency.
      const focused = radionr === undefined || activeradionr === undefined || radionr === activeradionr;
      return { type: 'radioinfo', frequency: freq ?? txfreq, mode: mode === '' ? undefined : mode, focused };
    }
    default:
      return { type: 'other', root };
  }
}
