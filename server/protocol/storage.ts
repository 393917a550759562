/**
 * Whether the data files can be written: the `storage` field of `admin_get_status` and the
 * operator broadcast `storage_update`, which drive the console's red banner. Dependency-free
 * apart from zod, like the rest of server/protocol, so the renderer imports the types.
 */
import { z } from 'zod';
import { timestampSchema } from './entities.js';

export const storageStatusSchema = z.object({
  writable: z.boolean(),
  /** While writes fail: the operating system's code (ENOSPC, EIO, EROFS, …), else null. */
  reason: z.string().nullable(),
  /** While writes fail: what went wrong, in plain words. */
  message: z.string().nullable(),
  /** While writes fail: the data file that last refused a write. */
  file: z.string().nullable(),
  /** When writes started failing. */
  since: timestampSchema.nullable(),
});
export type StorageStatus = z.infer<typeof storageStatusSchema>;
