/**
 * The frames around every reply (PROTOCOL.md, "Envelopes"): success, error, and the two replies
 * of their own type (`auth_response`, `pong`), the welcome, and the union of every frame the
 * server may send, as schemas; the builders are in reply.ts.
 */
import { z } from 'zod';
import { broadcastSchema } from './broadcasts.js';
import { timestampSchema } from './entities.js';
import { errorCodes } from './errors.js';

export const requestIdSchema = z.union([z.string(), z.number()]).nullable();
export type RequestId = z.infer<typeof requestIdSchema>;

export const successSchema = z.object({
  type: z.literal('success'),
  request_id: requestIdSchema,
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const errorSchema = z.object({
  type: z.literal('error'),
  request_id: requestIdSchema,
  error_code: z.enum(errorCodes),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorReply = z.infer<typeof errorSchema>;

export const authResponseSchema = z.object({
  type: z.literal('auth_response'),
  request_id: requestIdSchema,
  success: z.literal(true),
  authenticated: z.literal(true),
  session_token: z.string().regex(/^[0-9a-f]{64}$/),
  expires_at: timestampSchema,
  message: z.string(),
});
export type AuthResponse = z.infer<typeof authResponseSchema>;

export const pongSchema = z.object({
  type: z.literal('pong'),
  request_id: requestIdSchema,
  timestamp: timestampSchema,
  server_time: timestampSchema,
  session_valid: z.boolean().optional(),
});
export type Pong = z.infer<typeof pongSchema>;

export const welcomeSchema = z.object({
  type: z.literal('welcome'),
  timestamp: timestampSchema,
  data: z.object({
    server_version: z.string(),
    api_version: z.string(),
    connection_id: z.string(),
    features: z.array(z.string()),
  }),
});
export type Welcome = z.infer<typeof welcomeSchema>;

/** A success whose `data` has the shape its request type promises (see reply-data.ts). */
export interface SuccessReply<Data extends object = Record<string, unknown>> {
  type: 'success';
  request_id: RequestId;
  message: string;
  data: Data;
}

/** Any reply to a request: what `dispatch` answers and a transport resolves with. */
export type Reply = SuccessReply<object> | ErrorReply | AuthResponse | Pong;

/** Every frame the server may send. */
export const serverMessageSchema = z.union([successSchema, errorSchema, authResponseSchema, pongSchema, welcomeSchema, broadcastSchema]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
