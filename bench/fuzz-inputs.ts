/**
 * Hostile frames for fuzzing the wire, as fast-check arbitraries: random bytes, truncated UTF-8,
 * deep nesting, huge numbers, wrong field types and binary frames. Every frame here is invalid
 * by construction, so the server must answer it with an error (or close the connection) and
 * change nothing. Shared by `tests/fuzz` (bounded, in npm test) and `npm run fuzz` (the campaign).
 */
import fc from 'fast-check';

export interface FuzzFrame {
  category: string;
  payload: Buffer;
  binary: boolean;
}

const text = (category: string, value: string): FuzzFrame => ({ category, payload: Buffer.from(value, 'utf8'), binary: false });

export const randomBytes: fc.Arbitrary<FuzzFrame> = fc
  .uint8Array({ minLength: 1, maxLength: 2048 })
  .map((bytes) => ({ category: 'random bytes', payload: Buffer.from(bytes), binary: false }));

/** A valid request cut inside a multi-byte character (or anywhere). */
export const truncatedUtf8: fc.Arbitrary<FuzzFrame> = fc
  .tuple(fc.constantFrom('ÄÖÜ', '日本語', '🙂📻', 'ŁĘŻ'), fc.nat())
  .map(([word, cut]) => {
    const full = Buffer.from(JSON.stringify({ type: 'register_callsign', request_id: word, callsign: word }), 'utf8');
    return { category: 'truncated UTF-8', payload: full.subarray(0, 1 + (cut % (full.length - 1))), binary: false };
  });

export const deepNesting: fc.Arbitrary<FuzzFrame> = fc
  .tuple(fc.integer({ min: 100, max: 30_000 }), fc.constantFrom('array', 'object', 'in-field', 'in-request_id'))
  .map(([depth, shape]) => {
    const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objects = `${'{"a":'.repeat(Math.min(depth, 10_000))}1${'}'.repeat(Math.min(depth, 10_000))}`;
    const value =
      shape === 'array'
        ? arrays
        : shape === 'object'
          ? objects
          : shape === 'in-field'
            ? `{"type":"register_callsign","callsign":${arrays}}`
            : `{"type":"ping","request_id":${arrays}}`;
    return text('deep nesting', value);
  });

/** Out of range for every bounded field below (small ones such as `0.1e2` = 10 would be valid). */
const hugeNumber = fc.constantFrom('1e400', '-1e400', '1e308', '9007199254740993', '123456789012345678901234567890', '-5e300');

export const hugeNumbers: fc.Arbitrary<FuzzFrame> = fc
  .tuple(hugeNumber, fc.constantFrom('max_queue_size', 'limit', 'callsign', 'active', 'rate_limit_count', 'type'))
  .map(([number, field]) => {
    const type = {
      max_queue_size: 'admin_set_max_queue_size',
      limit: 'admin_get_log',
      callsign: 'register_callsign',
      active: 'admin_toggle_system',
      rate_limit_count: 'admin_set_registration_rules',
      type: '',
    }[field];
    // A huge number is never a valid value for these fields (limit and max are bounded integers).
    const body = type === '' ? `{"type":${number}}` : `{"type":"${type}","request_id":${number},"session_token":"TOKEN","${field}":${number}}`;
    return text('huge numbers', body);
  });

/** Values of every JSON kind but the one a field expects. */
const notString = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const notNumber = fc.oneof(fc.string({ maxLength: 20 }), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const notBoolean = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));
const notStringOrNumber = fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.object({ maxDepth: 2 }));

/** Request type → field → an arbitrary of wrong values for it. Admin ones carry the token. */
const WRONG_FIELDS: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  register_callsign: { callsign: notString },
  auth_request: { username: notString, password: notString },
  admin_send_qso: { callsign: notString, frequency: notStringOrNumber, mode: notString, timestamp: notString },
  admin_start_qso: { callsign: notString, frequency_mhz: notStringOrNumber, source: notString },
  admin_work_specific: { callsign: notString },
  admin_remove_callsign: { callsign: notString },
  admin_toggle_system: { active: notBoolean },
  admin_set_frequency: { frequency: notStringOrNumber },
  admin_set_split: { split: notStringOrNumber },
  admin_set_max_queue_size: { max_queue_size: notNumber },
  admin_set_credentials: { username: notString, password: notString },
  admin_ban_callsign: { callsign: notString, reason: notString },
  admin_unban_callsign: { callsign: notString },
  admin_set_registration_rules: {
    rate_limit_count: notNumber,
    rate_limit_window_s: notNumber,
    rate_limit_exempt_loopback: notBoolean,
    worked_recently_minutes: notNumber,
  },
};

/** Valid values for the fields not being broken, so only the wrong type makes a frame invalid. */
const GOOD_VALUES: Record<string, unknown> = {
  callsign: 'EA1ABC',
  username: 'admin',
  password: 'wrong-password-xyz',
  frequency: '14.195',
  split: 'up 5',
  max_queue_size: 4,
  active: true,
};

/** `TOKEN` in a payload stands for the operator's session token; the runner substitutes it. */
export const wrongTypes: fc.Arbitrary<FuzzFrame> = fc
  .constantFrom(...Object.keys(WRONG_FIELDS))
  .chain((type) => {
    const fields = WRONG_FIELDS[type] ?? {};
    return fc.tuple(fc.constant(type), fc.constantFrom(...Object.keys(fields))).chain(([t, field]) =>
      (fields[field] ?? notString).map((wrong) => {
        const required = Object.fromEntries(Object.keys(fields).filter((f) => f in GOOD_VALUES).map((f) => [f, GOOD_VALUES[f]]));
        return text('wrong types', JSON.stringify({ type: t, request_id: 'fuzz', session_token: 'TOKEN', ...required, [field]: wrong }));
      }),
    );
  });

export const binaryFrames: fc.Arbitrary<FuzzFrame> = fc
  .uint8Array({ minLength: 0, maxLength: 1024 })
  .map((bytes) => ({ category: 'binary frame', payload: Buffer.from(bytes), binary: true }));

/** Well-formed JSON that is not a valid request: wrong envelope, unknown type, missing fields. */
export const badEnvelopes: fc.Arbitrary<FuzzFrame> = fc
  .oneof(
    fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
    fc.record({ type: fc.string({ maxLength: 30 }).filter((t) => !/^(admin_|auth_|ping|get_|register)/.test(t)) }),
    // A null request_id counts as absent (valid), so it is left out here.
    fc.record({ type: fc.constant('ping'), request_id: notStringOrNumber.filter((v) => v !== null) }),
    fc.record({ type: fc.constant('register_callsign') }),
  )
  .map((value) => text('bad envelopes', JSON.stringify(value)));

export const ALL_FUZZ = {
  'random bytes': randomBytes,
  'truncated UTF-8': truncatedUtf8,
  'deep nesting': deepNesting,
  'huge numbers': hugeNumbers,
  'wrong types': wrongTypes,
  'binary frame': binaryFrames,
  'bad envelopes': badEnvelopes,
} as const;

export const anyFuzzFrame: fc.Arbitrary<FuzzFrame> = fc.oneof(...Object.values(ALL_FUZZ));

/** The payload with the placeholder token replaced. */
export function withToken(frame: FuzzFrame, token: string): Buffer {
  // Only frames that carry the placeholder are decoded: re-encoding random bytes would repair them.
  if (frame.binary || !frame.payload.includes('TOKEN')) return frame.payload;
  return Buffer.from(frame.payload.toString('utf8').replaceAll('TOKEN', token), 'utf8');
}
