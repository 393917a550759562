/**
 * Typed protocol requests: the fields each `type` takes, read from the server's own request
 * schemas (type-only, so no zod reaches the bundle). A misspelled type or field is a compile
 * error in the renderer, not an INVALID_REQUEST at run time.
 */
import type { z } from 'zod';
import type { requestSchemas, RequestType } from '../../server/protocol/requests.js';

export type { RequestType };

type SchemaInput<T extends RequestType> = z.input<(typeof requestSchemas)[T]>;

/** zod reads `z.object({})` as `Record<string, never>`, which no request with a `type` could satisfy. */
export type RequestFields<T extends RequestType> = string extends keyof SchemaInput<T> ? unknown : SchemaInput<T>;

export type TypedRequest = { [T in RequestType]: { type: T } & RequestFields<T> }[RequestType];
