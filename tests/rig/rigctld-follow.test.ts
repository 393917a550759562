/**
 * "Follow the rig" against Debian's real Hamlib rigctld with the dummy rig (`rigctld -m 1`):
 * the dummy rig's frequency and mode are set through rigctld's own protocol on a second
 * connection, as another program (or the VFO knob) would, and the station must follow.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RigStatus } from '../../server/protocol/rig.js';
import { rigStatus } from '../support/rig-status.js';
import { activeAdmin, startTestServer, type TestClient, type TestServer } from '../support/harness.js';
import { type Rigctld, rigctldSuite, rigctldVersion, startRigctld } from '../support/rigctld.js';

/** Fast polls and retries so the suite does not wait out the real 1 s / 15 s; nothing here depends on them. */
const TIMING = { pollIntervalMs: 50, retryMinMs: 50, retryMaxMs: 200, commandTimeoutMs: 10_000 };

let server: TestServer | undefined;
let admin: TestClient | undefined;
const rigs: Rigctld[] = [];

async function rigctld(options: Parameters<typeof startRigctld>[0] = {}): Promise<Rigctld> {
  const rig = await startRigctld(options);
  rigs.push(rig);
  return rig;
}

async function serverFollowing(rig: { port: number }, enabled = true): Promise<{ server: TestServer; admin: TestClient }> {
  server = await startTestServer({ bridges: { rigctld_enabled: enabled, rigctld_host: '127.0.0.1', rigctld_port: rig.port }, rigTiming: TIMING });
  admin = await activeAdmin(server);
  return { server, admin };
}

function frequencyUpdate(client: TestClient, frequency: string, mode?: string) {
  return client.nextBroadcast('frequency_update', (m) => {
    const data = m.data as { frequency: string | null; mode?: string | null };
    return data.frequency === frequency && (mode === undefined || data.mode === mode);
  });
}

async function station(client: TestClient): Promise<{ frequency: string | null; mode: string | null }> {
  const status = (await client.admin('admin_get_status')).data as { frequency: string | null; mode: string | null };
  return { frequency: status.frequency, mode: status.mode };
}

afterEach(async () => {
  await admin?.close();
  await server?.dispose();
  await Promise.all(rigs.splice(0).map((rig) => rig.stop()));
  admin = undefined;
  server = undefined;
});

rigctldSuite(describe)('Follow the rig (Hamlib rigctld, dummy rig)', () => {
  beforeAll(() => {
    console.info(`rig tests run against ${rigctldVersion()}`);
  });

  it('follows the frequency and mode set on the rig through rigctld, as frequency_update broadcasts', async () => {
    const rig = await rigctld();
    const { server, admin } = await serverFollowing(rig);
    // The dummy rig starts at 145 MHz FM: the first reading sets the station.
    await rigStatus(server, (s) => s.state === 'connected' && s.polls > 0);
    expect(await station(admin)).toEqual({ frequency: '145', mode: 'FM' });

    const followed = frequencyUpdate(admin, '14.074', 'USB');
    expect(await rig.command('F 14074000')).toMatch(/RPRT 0\n$/);
    expect(await rig.command('M USB 2400')).toMatch(/RPRT 0\n$/);
    expect((await followed).data).toEqual({ frequency: '14.074', mode: 'USB', split: null });
    const status = await rigStatus(server, (s) => s.rig_mode === 'USB');
    expect(status).toMatchObject({ frequency: '14.074', rig_mode: 'USB', passband_hz: 2400, mode: 'USB', error: null, connections: 1 });

    const cw = frequencyUpdate(admin, '7.0125', 'CW');
    await rig.command('F 7012500');
    await rig.command('M CWR 500');
    await cw;
    expect(await station(admin)).toEqual({ frequency: '7.0125', mode: 'CW' });
  });

  it('writes nothing while the rig stays where it is', async () => {
    const rig = await rigctld();
    const { server, admin } = await serverFollowing(rig);
    const first = await rigStatus(server, (s) => s.polls > 0 && s.last_change_at !== null);
    await rigStatus(server, (s) => s.polls >= first.polls + 10);
    expect(admin.broadcasts('frequency_update')).toHaveLength(1);
    expect(server.bridges.rig.status().changes).toBe(1);
  });

  it('keeps a frequency the operator typed until the rig moves', async () => {
    const rig = await rigctld();
    const { server, admin } = await serverFollowing(rig);
    const connected = await rigStatus(server, (s) => s.polls > 0 && s.changes === 1);
    await admin.admin('admin_set_frequency', { frequency: '21.295' });
    await rigStatus(server, (s) => s.polls >= connected.polls + 5);
    expect((await station(admin)).frequency).toBe('21.295');
    const moved = frequencyUpdate(admin, '21.3');
    await rig.command('F 21300000');
    await moved;
  });

  it('keeps the station mode when the rig is in a data mode (PKTUSB under WSJT-X is still FT8)', async () => {
    const rig = await rigctld();
    const { server, admin } = await serverFollowing(rig);
    await rigStatus(server, (s) => s.changes === 1);
    await admin.admin('admin_set_frequency', { frequency: '14.074', mode: 'FT8' });
    const moved = frequencyUpdate(admin, '7.074');
    await rig.command('M PKTUSB 3000');
    await rig.command('F 7074000');
    expect((await moved).data).toMatchObject({ frequency: '7.074', mode: 'FT8' });
    expect(await rigStatus(server, (s) => s.frequency === '7.074')).toMatchObject({ rig_mode: 'PKTUSB', mode: null });
  });

  it('shows the state in admin_get_bridges and bridges_update, and admin_set_bridges switches it on and off (stored)', async () => {
    const rig = await rigctld();
    const first = await serverFollowing(rig, false);
    const off = (await first.admin.admin('admin_get_bridges')).data as { settings: Record<string, unknown>; rig: RigStatus };
    expect(off.settings).toMatchObject({ rigctld_enabled: false, rigctld_host: '127.0.0.1', rigctld_port: rig.port });
    expect(off.rig).toMatchObject({ name: 'rigctld', state: 'off', host: '127.0.0.1', port: rig.port, polls: 0 });

    const connectedUpdate = first.admin.nextBroadcast('bridges_update', (m) => (m.data as { rig: RigStatus }).rig.state === 'connected');
    const on = await first.admin.admin('admin_set_bridges', { rigctld_enabled: true });
    expect((on.data as { settings: Record<string, unknown> }).settings).toMatchObject({ rigctld_enabled: true });
    expect(((await connectedUpdate).data as { rig: RigStatus }).rig).toMatchObject({ state: 'connected', error: null });

    // Stored: after a restart it follows the rig again without being told.
    await first.admin.close();
    const restarted = await first.server.restart({ bridges: {} });
    server = restarted;
    admin = await activeAdmin(restarted);
    await rigStatus(restarted, (s) => s.state === 'connected');
    const offAgain = await admin.admin('admin_set_bridges', { rigctld_enabled: false });
    expect((offAgain.data as { rig: RigStatus }).rig.state).toBe('off');
  });

  it('refuses a bad host or port with INVALID_REQUEST and changes nothing', async () => {
    const rig = await rigctld();
    const { admin } = await serverFollowing(rig, false);
    for (const bad of [{ rigctld_port: 0 }, { rigctld_port: 70000 }, { rigctld_host: 'shack pi' }, { rigctld_host: '127.0.0.1:4532' }, { rigctld_enabled: 'yes' }]) {
      const reply = await admin.request('admin_set_bridges', { ...bad, session_token: admin.token });
      expect(reply).toMatchObject({ type: 'error', error_code: 'INVALID_REQUEST' });
    }
    expect(((await admin.admin('admin_get_bridges')).data as { settings: Record<string, unknown> }).settings).toMatchObject({
      rigctld_enabled: false,
      rigctld_host: '127.0.0.1',
      rigctld_port: rig.port,
    });
  });

  it('reconnects when rigctld is killed and started again, and follows the rig from there', async () => {
    const rig = await rigctld();
    const { server, admin } = await serverFollowing(rig);
    await rigStatus(server, (s) => s.state === 'connected' && s.polls > 0);
    await rig.kill();
    const lost = await rigStatus(server, (s) => s.state === 'error');
    expect(lost.error).toMatch(/closed the connection|reset|refused/);
    expect(lost.retry_at).not.toBeNull();
    // Still away: each try is refused, said plainly.
    expect((await rigStatus(server, (s) => s.state === 'error' && /refused/.test(s.error ?? ''))).error).toMatch(
      new RegExp(`connection refused at 127\\.0\\.0\\.1:${rig.port}: is rigctld running`),
    );

    const back = await rigctld({ port: rig.port });
    await back.command('F 3573000');
    const followed = frequencyUpdate(admin, '3.573');
    await followed;
    expect(await rigStatus(server, (s) => s.state === 'connected')).toMatchObject({ connections: 2, error: null, retry_at: null });
  });

  it('waits for a rigctld that is not there yet, then follows it', async () => {
    const absent = await rigctld();
    await absent.stop();
    const { server, admin } = await serverFollowing(absent);
    expect((await rigStatus(server, (s) => s.state === 'error')).error).toMatch(/connection refused .*is rigctld running/);
    const rig = await rigctld({ port: absent.port });
    await rig.command('F 28074000');
    await frequencyUpdate(admin, '28.074');
  });

  it('speaks to a rigctld started with --vfo (a VFO with every command)', async () => {
    const rig = await rigctld({ extraArgs: ['--vfo'] });
    const { server, admin } = await serverFollowing(rig);
    await rigStatus(server, (s) => s.state === 'connected' && s.polls > 0);
    const followed = frequencyUpdate(admin, '10.136', 'USB');
    await rig.command('F currVFO 10136000');
    await rig.command('M currVFO USB 2400');
    await followed;
  });
});
