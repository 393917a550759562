/**
 * Child-process entry for `npm run soak` and `npm run fuzz`: Pileup on 127.0.0.1 (ephemeral
 * port) over DATA_DIR, with the heartbeat and send-buffer cap given as arguments, answering
 * `stats` with the gateway's counters so the parent can see reaping and cut-offs, and with the
 * WSJT-X bridge's counters when WSJTX_PORT is given.
 *
 *   soak-server.js DATA_DIR HEARTBEAT_MS MAX_BUFFERED_BYTES [WSJTX_PORT]
 */
import { startServer } from '../server/app.js';
import type { BridgeStatus } from '../server/protocol/bridges.js';

export type SoakCommand = { cmd: 'stats' } | { cmd: 'stop' };
export type SoakMessage =
  | { type: 'ready'; url: string }
  | { type: 'stats'; clients: number; peakQueuedRequests: number; reapedDead: number; cutOffSlow: number; unexpected: number; wsjtx: BridgeStatus };

const [dataDir, heartbeat, maxBuffered, wsjtxPort] = process.argv.slice(2);
if (dataDir === undefined || heartbeat === undefined || maxBuffered === undefined) {
  console.error('usage: soak-server.js DATA_DIR HEARTBEAT_MS MAX_BUFFERED_BYTES');
  process.exit(2);
}

const report = (message: SoakMessage) => process.send?.(message);
let unexpected = 0;
const server = await startServer({
  dataDir,
  host: '127.0.0.1',
  port: 0,
  heartbeatMs: Number(heartbeat),
  maxBufferedBytes: Number(maxBuffered),
  bridges: { wsjtx_port: Number(wsjtxPort ?? 0) },
  env: { ADMIN_USERNAME: process.env.ADMIN_USERNAME, ADMIN_PASSWORD: process.env.ADMIN_PASSWORD },
  onUnexpected: (error) => {
    unexpected += 1;
    if (unexpected <= 5) console.error('soak-server: unexpected', error);
  },
});
report({ type: 'ready', url: server.url });

process.on('message', (message: SoakCommand) => {
  if (message.cmd === 'stats') {
    report({ type: 'stats', ...server.gateway.stats(), unexpected, wsjtx: server.bridges.snapshot().bridges[0] as BridgeStatus });
    return;
  }
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
process.on('disconnect', () => process.exit(0));
