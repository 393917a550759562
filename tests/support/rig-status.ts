import type { RigStatus } from '../../server/protocol/rig.js';
import type { RunningServer } from '../../server/app.js';

/** Resolves with the rigctld client's status once `match` holds (checked now and after every change or poll). */
export function rigStatus(target: RunningServer, match: (status: RigStatus) => boolean): Promise<RigStatus> {
  const { rig } = target.bridges;
  return new Promise((resolve) => {
    const check = () => {
      const status = rig.status();
      if (!match(status)) return;
      rig.off('changed', check).off('polled', check);
      resolve(status);
    };
    rig.on('changed', check).on('polled', check);
    check();
  });
}
