/**
 * Child-process entry: runs one server (`pileup DATA_DIR` or `bare`) on 127.0.0.1 on an
 * ephemeral port, so its CPU, memory and file descriptors are its own. Reports `ready` over IPC;
 * obeys `gc` (when started with --expose-gc), `stats` (the store's sync and byte counters) and `stop`.
 */
import { type ChildMessage, type FileCounters, isParentCommand, type ServerKind } from './child-protocol.js';

const HOST = '127.0.0.1';

function report(message: ChildMessage): void {
  process.send?.(message);
}

interface Started {
  url: string;
  close(): Promise<void>;
  files(): FileCounters;
}

async function start(kind: ServerKind, dataDir: string | undefined): Promise<Started> {
  if (kind === 'bare') {
    const { startBareServer } = await import('./bare-server.js');
    const loadedAtMs = performance.now();
    const server = await startBareServer(HOST, 0);
    report({ type: 'ready', url: server.url, loadedAtMs, listeningAtMs: performance.now() });
    return { url: server.url, close: () => server.close(), files: () => ({}) };
  }
  if (dataDir === undefined) throw new Error('pileup needs a data directory');
  const { startServer } = await import('../server/app.js');
  const loadedAtMs = performance.now();
  const server = await startServer({
    dataDir,
    host: HOST,
    port: 0,
    env: { ADMIN_USERNAME: process.env.ADMIN_USERNAME, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD },
    onUnexpected: (error) => console.error('server-child: unexpected', error),
  });
  report({ type: 'ready', url: server.url, loadedAtMs, listeningAtMs: performance.now() });
  return { url: server.url, close: () => server.close(), files: () => server.store.stats() };
}

const [kind, dataDir] = process.argv.slice(2);
if (kind !== 'pileup' && kind !== 'bare') {
  console.error('usage: server-child.js pileup DATA_DIR | bare');
  process.exit(2);
}
const server = await start(kind, dataDir);
process.on('message', (message: unknown) => {
  if (!isParentCommand(message)) return;
  if (message.cmd === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    report({ type: 'gc-done' });
    return;
  }
  if (message.cmd === 'stats') {
    report({ type: 'stats', files: server.files() });
    return;
  }
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('server-child: close failed', error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
