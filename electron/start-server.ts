/**
 * Starts the embedded server; when its port is taken or another Pileup Buster holds its data
 * folder, asks what to do instead of crashing: the operator may already run Pileup Buster
 * headless, or another program may hold the port.
 */
import { type RunningServer, type ServerOptions, startServer } from '../server/app.js';
import { DEFAULTS } from '../server/config/defaults.js';
import { DataDirLocked } from '../server/store/data-dir-lock.js';

/** Given the port in use, the next port to try, or null to give up. */
export type PortInUseHandler = (port: number) => Promise<number | null>;
/** Given who holds the folder, true to try again, false to give up. */
export type FolderInUseHandler = (error: DataDirLocked) => Promise<boolean>;

export async function startServerOnFreePort(
  options: ServerOptions,
  onPortInUse: PortInUseHandler,
  onFolderInUse: FolderInUseHandler,
): Promise<RunningServer | null> {
  let port = options.port;
  for (;;) {
    try {
      return await startServer({ ...options, port });
    } catch (error) {
      if (error instanceof DataDirLocked) {
        if (await onFolderInUse(error)) continue;
        return null;
      }
      const failure = error as (NodeJS.ErrnoException & { port?: number }) | undefined;
      if (failure?.code !== 'EADDRINUSE') throw error;
      // No port given: the stored (or default) one was tried; Node's error names it.
      const next = await onPortInUse(port ?? failure.port ?? DEFAULTS.listen.port);
      if (next === null) return null;
      port = next;
    }
  }
}
