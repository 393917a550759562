/**
 * Starts the embedded server; when its port is taken, asks what to do instead of crashing: the
 * operator may already run Pileup Buster headless, or another program may hold the port.
 */
import { type RunningServer, type ServerOptions, startServer } from '../server/app.js';

/** Given the port in use, the next port to try, or null to give up. */
export type PortInUseHandler = (port: number) => Promise<number | null>;

export async function startServerOnFreePort(
  options: ServerOptions & { port: number },
  onPortInUse: PortInUseHandler,
): Promise<RunningServer | null> {
  let port = options.port;
  for (;;) {
    try {
      return await startServer({ ...options, port });
    } catch (error) {
      if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') throw error;
      const next = await onPortInUse(port);
      if (next === null) return null;
      port = next;
    }
  }
}
