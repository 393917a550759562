/**
 * Starts the embedded server; when its port is taken, asks what to do instead of crashing: the
 * operator may already run Pileup Buster headless, or another program may hold the port.
 */
import { type RunningServer, type ServerOptions, startServer } from '../server/app.js';
import { DEFAULTS } from '../server/config/defaults.js';

/** Given the port in use, the next port to try, or null to give up. */
export type PortInUseHandler = (port: number) => Promise<number | null>;

export async function startServerOnFreePort(
  options: ServerOptions,
  onPortInUse: PortInUseHandler,
): Promise<RunningServer | null> {
  let port = options.port;
  for (;;) {
    try {
      return await startServer({ ...options, port });
    } catch (error) {
      const failure = error as (NodeJS.ErrnoException & { port?: number }) | undefined;
      if (failure?.code !== 'EADDRINUSE') throw error;
      // No port given: the stored (or default) one was tried; Node's error names it.
      const next = await onPortInUse(port ?? failure.port ?? DEFAULTS.listen.port);
      if (next === null) return null;
      port = next;
    }
  }
}
