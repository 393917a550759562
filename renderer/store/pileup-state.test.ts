import { describe, expect, it } from 'vitest';
import { NOW_ISO, queueOf, status } from '../testing/fake-link.js';
import { registrationOpen } from '../../server/protocol/rules.js';
import { applyBroadcast, emptySnapshot, fromStatus, type PileupSnapshot } from './pileup-state.js';

const qso = { callsign: 'EA1ABC', started_at: NOW_ISO, source: 'queue', qso_id: 'q1' };

function started(snapshot: PileupSnapshot): PileupSnapshot {
  return applyBroadcast(snapshot, {
    type: 'qso_update',
    timestamp: NOW_ISO,
    data: { ...qso, change_type: 'qso_started', frequency: '14.195', mode: 'SSB' },
  });
}

describe('applyBroadcast', () => {
  it('keeps the real queue size when the broadcast queue is cut to its first entries', () => {
    const next = applyBroadcast(emptySnapshot, {
      type: 'queue_update',
      timestamp: NOW_ISO,
      data: { total: 150, max_size: 200, change_type: 'registered', affected_callsign: 'EA1ABC', queue: queueOf('EA1ABC') },
    });
    expect(next).toMatchObject({ queue_size: 150, max_queue_size: 200 });
    expect(next.queue).toHaveLength(1);
  });

  it('makes a started QSO the current one, with its frequency and mode', () => {
    expect(started(emptySnapshot).current_qso).toEqual({ ...qso, timestamp: NOW_ISO, frequency: '14.195', mode: 'SSB' });
  });

  it('carries fields a newer server adds, such as country', () => {
    const next = applyBroadcast(emptySnapshot, {
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { ...qso, change_type: 'qso_started', country: 'Spain' } as never,
    });
    expect(next.current_qso?.country).toBe('Spain');
  });

  it('clears the current QSO when it is completed or cancelled', () => {
    for (const change_type of ['qso_completed', 'qso_cancelled'] as const) {
      const next = applyBroadcast(started(emptySnapshot), {
        type: 'qso_update',
        timestamp: NOW_ISO,
        data: { ...qso, change_type, ended_at: NOW_ISO },
      });
      expect(next.current_qso).toBeNull();
    }
  });

  it('does not clear a newer QSO when the end of an older one arrives', () => {
    const next = applyBroadcast(started(emptySnapshot), {
      type: 'qso_update',
      timestamp: NOW_ISO,
      data: { ...qso, callsign: 'DL1ABC', qso_id: 'older', change_type: 'qso_completed', ended_at: NOW_ISO },
    });
    expect(next.current_qso?.callsign).toBe('EA1ABC');
  });

  it('follows the system switch, the frequency and the queue capacity', () => {
    let next = applyBroadcast(emptySnapshot, { type: 'system_status_update', timestamp: NOW_ISO, data: { active: true, changed_by: 'admin' } });
    next = applyBroadcast(next, { type: 'frequency_update', timestamp: NOW_ISO, data: { frequency: '7.074', mode: 'FT8', split: 'up 1' } });
    next = applyBroadcast(next, { type: 'settings_update', timestamp: NOW_ISO, data: { max_queue_size: 10 } });
    expect(next).toMatchObject({ system_active: true, frequency: '7.074', mode: 'FT8', split: 'up 1', max_queue_size: 10 });
  });
});

describe('registrationOpen', () => {
  it('is open only while the system is active and the queue has room', () => {
    expect(registrationOpen(fromStatus(status({ queue_size: 3 })))).toBe(true);
    expect(registrationOpen(fromStatus(status({ queue_size: 4 })))).toBe(false);
    expect(registrationOpen(fromStatus(status({ system_active: false })))).toBe(false);
  });
});
