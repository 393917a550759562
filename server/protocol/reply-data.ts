/**
 * The reply contract, keyed by request type: for every request, the shape of the `data` of its
 * success (or its own reply type for `auth_request` and the pings). The handlers are typed by
 * it, the IPC layer and the renderer's `call()` read their results through it, and the tests
 * parse every reply they receive with `replySchemaFor(type)`, so a reply cannot drift from
 * what the README documents without a test failing.
 */
import { z } from 'zod';
import { bridgesSnapshotSchema } from './bridges.js';
import {
  controlsSchema,
  countryShape,
  currentQsoSchema,
  loggedQsoSchema,
  registrationRulesSchema,
  statusSchema,
  timestampSchema,
} from './entities.js';
import { type AuthResponse, authResponseSchema, type ErrorReply, errorSchema, type Pong, pongSchema, type SuccessReply } from './envelopes.js';
import { listenSnapshotSchema } from './listen.js';
import { relaySnapshotSchema } from './relay.js';
import { logSearchSchema, recentQsosSchema } from './public-log.js';
import { stationSnapshotSchema } from './station.js';
import { statisticsSchema } from './statistics.js';
import { storageStatusSchema } from './storage.js';
import type { RequestType } from './requests.js';

const count = z.number().int().nonnegative();
const currentQsoReply = z.object({ already_current: z.boolean(), current_qso: currentQsoSchema });
const frequencyReply = z.object({ frequency: z.string().nullable(), mode: z.string().nullable(), split: z.string().nullable() });
const pauseReply = z.object({ registration_paused: z.boolean(), previous_state: z.boolean() });

/** Requests answered with their own reply type rather than `success`. */
const ownReplies = {
  auth_request: authResponseSchema,
  ping: pongSchema,
  admin_ping: pongSchema,
} as const;
type OwnReplyType = keyof typeof ownReplies;
export type DataRequestType = Exclude<RequestType, OwnReplyType>;

export const replyDataSchemas = {
  auth_logout: z.object({ logged_out: z.literal(true) }),
  register_callsign: z.object({
    callsign: z.string(),
    position: z.number().int().positive(),
    total_queue: z.number().int().positive(),
    estimated_wait_s: count.optional(),
    ...countryShape,
  }),
  get_queue_status: statusSchema,
  get_current_qso: z.object({ current_qso: currentQsoSchema.nullable() }),
  get_recent_qsos: recentQsosSchema,
  search_log: logSearchSchema,

  admin_send_qso: z.object({
    callsign: z.string(),
    processed_as: z.literal('external_qso'),
    current_qso_set: z.literal(true),
    removed_from_queue: z.boolean(),
    current_qso: currentQsoSchema,
  }),
  admin_work_next: z.object({ callsign: z.string(), remaining_queue: count, current_qso: currentQsoSchema }),
  admin_complete_qso: z.object({ completed_callsign: z.string().nullable(), current_qso_cleared: z.boolean() }),
  admin_toggle_system: z.object({
    system_active: z.boolean(),
    previous_state: z.boolean(),
    queue_cleared: z.literal(true).optional(),
    cleared_count: count.optional(),
  }),
  admin_clear_queue: z.object({ cleared_count: count, queue_size: z.literal(0) }),

  admin_start_qso: currentQsoReply,
  admin_work_specific: currentQsoReply,
  admin_cancel_qso: z.object({ cancelled_callsign: z.string().nullable(), current_qso_cleared: z.boolean() }),
  admin_no_show: z.object({
    callsign: z.string(),
    /** Times this caller has not answered, this one included. */
    no_shows: z.number().int().positive(),
    /** At this many the caller is out (station setting `no_show_strikes`). */
    strikes: z.number().int().positive(),
    requeued: z.boolean(),
    /** The caller's new place, or null when they are out. */
    position: z.number().int().positive().nullable(),
    queue_size: count,
  }),
  admin_remove_callsign: z.object({ callsign: z.string(), removed: z.literal(true), queue_size: count }),
  admin_get_status: statusSchema.extend({
    active_sessions: count,
    /** End times of the most recent QSOs, newest first: what the console's wait estimate needs. */
    recent_qso_ends: z.array(timestampSchema),
    /** Whether the data files can be written right now. */
    storage: storageStatusSchema,
  }),
  admin_get_queue: statusSchema,
  admin_set_frequency: frequencyReply,
  admin_clear_frequency: frequencyReply,
  admin_set_split: frequencyReply,
  admin_clear_split: frequencyReply,

  admin_set_max_queue_size: z.object({ max_queue_size: z.number().int().positive(), queue_size: count }),
  admin_get_log: z.object({ total: count, offset: count, entries: z.array(loggedQsoSchema) }),
  admin_set_credentials: z.object({ username: z.string(), sessions_revoked: z.literal(true) }),
  admin_export_adif: z.object({ file_name: z.string(), count, adif: z.string() }),
  admin_import_adif: z.object({
    /** Distinct QSOs of the file now in the log (new, replacing their earlier import, or merged into the same QSO logged already). */
    imported: count,
    /** Records that repeated a QSO earlier in the same file. */
    repeated: count,
    /** Records not imported (text after the last record is not one). */
    skipped: count,
    /** Why records were skipped, with the number of the first such record; text after the last record has null and the text. */
    skipped_reasons: z.array(
      z.object({ reason: z.string(), count, first_record: z.number().int().positive().nullable(), text: z.string().optional() }),
    ),
    total: count,
  }),
  admin_get_bridges: bridgesSnapshotSchema,
  admin_set_bridges: bridgesSnapshotSchema,
  admin_get_listen: listenSnapshotSchema,
  admin_set_listen: listenSnapshotSchema,
  admin_get_relay: relaySnapshotSchema,
  admin_set_relay: relaySnapshotSchema,
  admin_get_station: stationSnapshotSchema,
  admin_set_station: stationSnapshotSchema,
  admin_get_stats: statisticsSchema,

  admin_pause_registration: pauseReply,
  admin_resume_registration: pauseReply,
  admin_ban_callsign: z.object({
    callsign: z.string(),
    reason: z.string().nullable(),
    banned_at: timestampSchema,
    only_this_form: z.boolean(),
    removed_from_queue: z.boolean(),
    /** The waiting callers the ban took out (every form of the call, unless only this form). */
    removed_callsigns: z.array(z.string()),
    banned_count: count,
  }),
  admin_unban_callsign: z.object({
    callsign: z.string(),
    unbanned: z.literal(true),
    banned_count: count,
    /** With `undo` within a minute of the ban: the callers put back in their places. */
    restored_to_queue: z.array(z.string()),
  }),
  admin_get_controls: controlsSchema,
  admin_set_registration_rules: registrationRulesSchema.extend({ registration_paused: z.boolean(), banned_count: count }),
} satisfies { [T in DataRequestType]: z.ZodType<object> };

export type ReplyData<T extends DataRequestType> = z.output<(typeof replyDataSchemas)[T]>;

type ReplyMap = { [T in DataRequestType]: SuccessReply<ReplyData<T>> } & { [T in OwnReplyType]: z.output<(typeof ownReplies)[T]> };

/** The reply a request of type `T` gets: its success (or own reply type), or an error. */
export type ReplyTo<T extends RequestType> = ReplyMap[T] | ErrorReply;

/** What a request of a data type `T` gets back. */
export type DataReplyTo<T extends DataRequestType> = SuccessReply<ReplyData<T>> | ErrorReply;

export type { AuthResponse, Pong };

function isOwnReplyType(type: RequestType): type is OwnReplyType {
  return Object.hasOwn(ownReplies, type);
}

const cache = new Map<RequestType, z.ZodType>();

/** The schema of every reply a request of `type` may get. */
export function replySchemaFor(type: RequestType): z.ZodType {
  let schema = cache.get(type);
  if (schema === undefined) {
    const ok = isOwnReplyType(type)
      ? ownReplies[type]
      : z.object({
          type: z.literal('success'),
          request_id: z.union([z.string(), z.number()]).nullable(),
          message: z.string(),
          data: replyDataSchemas[type],
        });
    schema = z.union([ok, errorSchema]);
    cache.set(type, schema);
  }
  return schema;
}
