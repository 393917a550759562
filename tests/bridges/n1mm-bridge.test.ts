import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE_LIMITS } from '../../server/protocol/bridges.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';
import { freeUdpPort, sendDatagram, sendDatagrams } from './udp-support.js';

let server: TestServer;
let admin: TestClient;

beforeEach(async () => {
  server = await startTestServer({ bridges: { n1mm_port: await freeUdpPort(), bind_address: '127.0.0.1' } });
  admin = await activeAdmin(server);
});

afterEach(async () => {
  await admin.close();
  await server.dispose();
});

/** A contactinfo as N1MM Logger+ broadcasts it (fields trimmed to those of a typical contest QSO). */
function contactinfo(root: 'contactinfo' | 'contactreplace', call: string, fields: { rxfreq?: string; mode?: string; snt?: string; id?: string } = {}): string {
  const { rxfreq = '1420500', mode = 'USB', snt = '59', id = 'a8c1f3e2b0d44b6e9f1a2b3c4d5e6f70' } = fields;
  return `<?xml version="1.0" encoding="utf-8"?>
<${root}>
  <app>N1MM</app>
  <contestname>DX</contestname>
  <contestnr>73</contestnr>
  <timestamp>2025-07-23 10:31:05</timestamp>
  <mycall>EI6JGB</mycall>
  <band>14</band>
  <rxfreq>${rxfreq}</rxfreq>
  <txfreq>${rxfreq}</txfreq>
  <operator></operator>
  <mode>${mode}</mode>
  <call>${call}</call>
  <countryprefix>DL</countryprefix>
  <wpxprefix>DL1</wpxprefix>
  <stationprefix>EI6JGB</stationprefix>
  <continent>EU</continent>
  <snt>${snt}</snt>
  <sntnr>1</sntnr>
  <rcv>57</rcv>
  <rcvnr>0</rcvnr>
  <gridsquare />
  <exchange1 />
  <section />
  <comment />
  <qth />
  <name />
  <power />
  <misctext />
  <zone>14</zone>
  <prec />
  <ck>0</ck>
  <ismultiplier1>1</ismultiplier1>
  <points>3</points>
  <radionr>1</radionr>
  <run1run2>1</run1run2>
  <RoverLocation />
  <RadioInterfaced>1</RadioInterfaced>
  <NetworkedCompNr>0</NetworkedCompNr>
  <IsOriginal>True</IsOriginal>
  <NetBiosName>SHACK</NetBiosName>
  <IsRunQSO>1</IsRunQSO>
  <StationName>SHACK</StationName>
  <ID>${id}</ID>
  <IsClaimedQso>1</IsClaimedQso>
</${root}>`;
}

const RADIO_INFO = `<?xml version="1.0" encoding="utf-8"?>
<RadioInfo>
  <app>N1MM</app>
  <StationName>SHACK</StationName>
  <RadioNr>1</RadioNr>
  <Freq>703500</Freq>
  <TXFreq>703500</TXFreq>
  <Mode>CW</Mode>
  <OpCall>EI6JGB</OpCall>
  <IsRunning>False</IsRunning>
  <FocusEntry>0</FocusEntry>
  <EntryWindowHwnd>0</EntryWindowHwnd>
  <Antenna>0</Antenna>
  <Rotors></Rotors>
  <FocusRadioNr>1</FocusRadioNr>
  <IsStereo>False</IsStereo>
  <IsSplit>False</IsSplit>
  <ActiveRadioNr>1</ActiveRadioNr>
  <IsTransmitting>False</IsTransmitting>
  <FunctionKeyCaption></FunctionKeyCaption>
  <RadioName>IC-7300</RadioName>
  <AuxAntSelected>-1</AuxAntSelected>
  <AuxAntSelectedName></AuxAntSelectedName>
</RadioInfo>`;

async function logEntries(): Promise<Record<string, unknown>[]> {
  return ((await admin.admin('admin_get_log', { limit: 50 })).data as { entries: Record<string, unknown>[] }).entries;
}

describe('N1MM Logger+ UDP bridge', () => {
  it('sets frequency and mode from RadioInfo (frequencies in tens of Hz)', async () => {
    const handled = await sendDatagram(server.bridges.n1mm, RADIO_INFO);
    expect(handled).toMatchObject({ kind: 'RadioInfo', summary: '7.035 MHz CW' });
    expect((await admin.request('get_queue_status')).data).toMatchObject({ frequency: '7.035', mode: 'CW' });
  });

  it('logs a contactinfo and completes that caller as admin_send_qso would', async () => {
    await admin.request('register_callsign', { callsign: 'DL1ABC' });
    await sendDatagram(server.bridges.n1mm, contactinfo('contactinfo', 'DL1ABC'));
    const status = (await admin.request('get_queue_status')).data as { queue_size: number; current_qso: Record<string, unknown> };
    expect(status.queue_size).toBe(0);
    expect(status.current_qso).toMatchObject({ callsign: 'DL1ABC', source: 'n1mm' });
    expect(await logEntries()).toEqual([
      expect.objectContaining({
        callsign: 'DL1ABC',
        frequency: '14.205',
        band: '20m',
        mode: 'USB',
        rst_sent: '59',
        rst_received: '57',
        ended_at: '2025-07-23T10:31:05.000Z',
        source: 'n1mm',
      }),
    ]);
  });

  it('corrects the logged QSO on contactreplace and removes it on contactdelete', async () => {
    await sendDatagram(server.bridges.n1mm, contactinfo('contactinfo', 'DL1ABC'));
    await sendDatagram(server.bridges.n1mm, contactinfo('contactreplace', 'DL1ABD', { snt: '57' }));
    expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'DL1ABD', rst_sent: '57', source: 'n1mm' })]);
    const deleted = await sendDatagram(
      server.bridges.n1mm,
      '<?xml version="1.0" encoding="utf-8"?><contactdelete><app>N1MM</app><timestamp>2025-07-23 10:31:05</timestamp><call>DL1ABD</call><contestnr>73</contestnr><StationName>SHACK</StationName><ID>a8c1f3e2b0d44b6e9f1a2b3c4d5e6f70</ID></contactdelete>',
    );
    expect(deleted.summary).toBe('DL1ABD deleted');
    // A delete waits a moment for the replace of an edit; alone, it is then applied.
    await expect.poll(logEntries, { timeout: 20_000 }).toEqual([]);
  });

  describe('edits and deletes, as N1MM made them', () => {
    const ID = 'a8c1f3e2b0d44b6e9f1a2b3c4d5e6f70';
    const contactdelete = (fields: { call: string; timestamp?: string; id?: string }) =>
      `<?xml version="1.0" encoding="utf-8"?><contactdelete><app>N1MM</app><timestamp>${fields.timestamp ?? '2025-07-23 10:31:05'}</timestamp><call>${fields.call}</call><contestnr>73</contestnr><StationName>SHACK</StationName>${fields.id === undefined ? '' : `<ID>${fields.id}</ID>`}</contactdelete>`;
    const withoutId = (xml: string) => xml.replace(/<ID>[^<]*<\/ID>/, '');
    const logLines = async () => (await readFile(path.join(server.dataDir, 'log.db'), 'utf8')).split('\n').filter((line) => line !== '').length;
    const status = async () => (await admin.request('get_queue_status')).data as { queue: { callsign: string }[]; current_qso: { callsign: string } | null };

    it('an edit (delete, then replace) is one change to the log, keeps the entry, and never touches the queue or the current QSO', async () => {
      await sendDatagram(server.bridges.n1mm, contactinfo('contactinfo', 'DL1ABC'));
      for (const callsign of ['EA1ABC', 'DL1ABD']) await admin.request('register_callsign', { callsign });
      await admin.admin('admin_work_next');
      const [logged] = await logEntries();
      const lines = await logLines();
      // As N1MM sends an edit: the two datagrams back to back.
      const edited = await sendDatagrams(server.bridges.n1mm, [contactdelete({ call: 'DL1ABC', id: ID }), contactinfo('contactreplace', 'DL1ABD', { snt: '57' })]);
      expect(edited.map((handled) => handled.summary)).toEqual(['DL1ABC deleted', 'DL1ABD corrected']);
      expect(await logEntries()).toEqual([expect.objectContaining({ qso_id: logged?.qso_id, callsign: 'DL1ABD', rst_sent: '57' })]);
      expect(await logLines()).toBe(lines + 1);
      expect(await status()).toMatchObject({ queue: [{ callsign: 'DL1ABD' }], current_qso: { callsign: 'EA1ABC' } });
    });

    it('without <ID>, knows a contact by station and time; an edit may change its call and time (the delete names the old ones)', async () => {
      await sendDatagram(server.bridges.n1mm, withoutId(contactinfo('contactinfo', 'DL1ABC')));
      await sendDatagram(server.bridges.n1mm, withoutId(contactinfo('contactinfo', 'DL1ABC')));
      expect(await logEntries()).toHaveLength(1);
      await sendDatagram(server.bridges.n1mm, contactdelete({ call: 'DL1ABC' }));
      await sendDatagram(server.bridges.n1mm, withoutId(contactinfo('contactreplace', 'DL1ABD')).replace('10:31:05', '10:32:00'));
      expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'DL1ABD', ended_at: '2025-07-23T10:32:00.000Z', rst_received: '57' })]);
    });

    it('a delete without <ID> removes only the contact with that call at that time', async () => {
      await sendDatagram(server.bridges.n1mm, withoutId(contactinfo('contactinfo', 'DL1ABC')));
      expect((await sendDatagram(server.bridges.n1mm, contactdelete({ call: 'W1AW' }))).summary).toBe('W1AW not in the log');
      expect((await sendDatagram(server.bridges.n1mm, contactdelete({ call: 'DL1ABC', timestamp: '2025-07-23 10:31:06' }))).summary).toBe('DL1ABC not in the log');
      await server.bridges.close();
      expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'DL1ABC' })]);
    });

    it('a replace of a contact we do not have adds it to the log, and works no one', async () => {
      await admin.request('register_callsign', { callsign: 'DL1ABC' });
      expect((await sendDatagram(server.bridges.n1mm, contactinfo('contactreplace', 'DL1ABC'))).summary).toBe('DL1ABC added to the log');
      expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'DL1ABC', frequency: '14.205', source: 'n1mm' })]);
      expect(await status()).toMatchObject({ queue: [{ callsign: 'DL1ABC' }], current_qso: null });
    });
  });

  it('ignores a contactreplace timed outside 1930 … a day from now and keeps the logged QSO', async () => {
    await sendDatagram(server.bridges.n1mm, contactinfo('contactinfo', 'DL1ABC'));
    const handled = await sendDatagram(server.bridges.n1mm, contactinfo('contactreplace', 'DL1ABD').replace('2025-07-23 10:31:05', '2999-01-01 10:31:05'));
    expect(handled.kind).toBe('ignored');
    expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'DL1ABC', ended_at: '2025-07-23T10:31:05.000Z' })]);
  });

  it('reads N1MM-style contactinfo from other loggers: few fields, any case, no XML declaration', async () => {
    await sendDatagram(server.bridges.n1mm, '<ContactInfo><Call>vp8/g4xyz</Call><Mode>CW</Mode><RxFreq>2102500</RxFreq></ContactInfo>');
    expect(await logEntries()).toEqual([expect.objectContaining({ callsign: 'VP8/G4XYZ', frequency: '21.025', mode: 'CW', country: 'Falkland Islands' })]);
  });

  it.each([
    ['oversized XML', `<contactinfo><call>DL1ABC</call><comment>${'x'.repeat(BRIDGE_LIMITS.maxDatagramBytes)}</comment></contactinfo>`],
    ['XML cut short', contactinfo('contactinfo', 'DL1ABC').slice(0, 300)],
    ['not XML at all', 'hello logger'],
    ['contactinfo without a call', '<contactinfo><mode>CW</mode></contactinfo>'],
    ['an invalid callsign', '<contactinfo><call>NOT A CALL</call></contactinfo>'],
    ['RadioInfo without a frequency', '<RadioInfo><Mode>CW</Mode></RadioInfo>'],
    ['a contactinfo timed in 1900', contactinfo('contactinfo', 'DL1ABC').replace('2025-07-23 10:31:05', '1900-01-01 10:31:05')],
    ['a contactinfo timed in 2999', contactinfo('contactinfo', 'DL1ABC').replace('2025-07-23 10:31:05', '2999-01-01 10:31:05')],
  ])('counts and ignores %s, and the server carries on', async (_what, text) => {
    const handled = await sendDatagram(server.bridges.n1mm, text);
    expect(handled.kind).toBe('ignored');
    expect(server.bridges.n1mm.status()).toMatchObject({ state: 'listening', datagrams: 1, ignored: 1 });
    await sendDatagram(server.bridges.n1mm, contactinfo('contactinfo', 'DL1ABC'));
    expect(await logEntries()).toHaveLength(1);
  });
});
