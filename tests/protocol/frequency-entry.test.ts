/** Frequencies on the wire: MHz or kHz, and only inside the amateur bands (server/ham/frequency.ts). */
import { describe, expect, it } from 'vitest';
import { dataOf, expectError, useServer } from '../support/fixture.js';

const fx = useServer();

describe('frequencies in requests', () => {
  it('understands kHz: admin_set_frequency 14195 is 14.195 MHz', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_set_frequency', { frequency: '14195', mode: 'SSB' }))).toMatchObject({ frequency: '14.195' });
    expect(dataOf(await operator.admin('admin_set_frequency', { frequency: 7074 }))).toMatchObject({ frequency: '7.074' });
  });

  it('keeps MHz as sent', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_set_frequency', { frequency_mhz: '144.300' }))).toMatchObject({ frequency: '144.300' });
  });

  it('refuses a frequency outside the amateur bands with INVALID_REQUEST and a clear message, changing nothing', async () => {
    const operator = await fx.operator();
    await operator.admin('admin_set_frequency', { frequency: '14.195' });
    const reply = await operator.adminRaw('admin_set_frequency', { frequency: '14500' });
    expectError(reply, 'INVALID_REQUEST');
    expect(reply.details).toEqual({
      issues: [{ field: 'frequency', problem: '14500 is outside the amateur bands, read as MHz and as kHz (14.5 MHz); give MHz (14.195) or kHz (14195)' }],
    });
    expect(dataOf(await operator.request('get_queue_status')).frequency).toBe('14.195');
  });

  it('applies the same rule to QSOs sent by logging software', async () => {
    const operator = await fx.operator();
    expect(dataOf(await operator.admin('admin_send_qso', { callsign: 'EA1ABC', frequency: '21074' })).current_qso).toMatchObject({
      frequency: '21.074',
    });
    expectError(await operator.adminRaw('admin_send_qso', { callsign: 'EA1ABC', frequency: '27.555' }), 'INVALID_REQUEST');
    expectError(await operator.adminRaw('admin_start_qso', { callsign: 'EA1ABC', frequency_mhz: 100.1 }), 'INVALID_REQUEST');
  });

  it('treats 14195 and 14.195 as the same value of frequency and frequency_mhz', async () => {
    const operator = await fx.activeOperator();
    const reply = await operator.admin('admin_start_qso', { callsign: 'EA1ABC', frequency: '14195', frequency_mhz: '14.195' });
    expect(dataOf(reply).current_qso).toMatchObject({ frequency: '14.195' });
  });
});

describe('admin_get_stats', () => {
  it('is for the operator only, and answers the statistics of the log', async () => {
    expectError(await (await fx.connect()).request('admin_get_stats'), 'AUTHENTICATION_REQUIRED');
    const operator = await fx.activeOperator();
    await operator.admin('admin_send_qso', { callsign: 'JA1XYZ', frequency: '14.2', mode: 'CW' });
    expect(dataOf(await operator.admin('admin_get_stats'))).toMatchObject({
      total_qsos: 1,
      unique_callsigns: 1,
      by_band: { '20m': 1 },
      by_continent: { AS: 1 },
    });
  });
});
