/** Asks a soak-server child (soak-server.ts) for its counters over IPC. */
import type { ChildProcess } from 'node:child_process';
import type { SoakCommand, SoakMessage } from './soak-server.js';
import { withTimeout } from './timing.js';

export type SoakStats = Extract<SoakMessage, { type: 'stats' }>;

export function askStats(child: ChildProcess): Promise<SoakStats> {
  return withTimeout(
    new Promise((resolve) => {
      const onMessage = (message: SoakMessage) => {
        if (message.type !== 'stats') return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ cmd: 'stats' } satisfies SoakCommand);
    }),
    10_000,
    'stats from the soak server',
  );
}
