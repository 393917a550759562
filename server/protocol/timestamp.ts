/** Every timestamp on the wire: ISO-8601 UTC with `Z` (PROTOCOL.md, Transport). */
import { z } from 'zod';

export const timestampSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
