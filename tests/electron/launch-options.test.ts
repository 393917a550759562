import { describe, expect, it } from 'vitest';
import { launchOptions } from '../../electron/launch-options.js';
import { DEFAULTS } from '../../server/config/defaults.js';

/** argv as Electron gives it in development: the binary, the app folder, then the switches. */
const argv = (...switches: string[]) => ['/usr/bin/electron', '.', ...switches];

/** Host and port only, as given (absent keys were not given). */
const listen = ({ host, port }: ReturnType<typeof launchOptions>) => ({ ...(host !== undefined && { host }), ...(port !== undefined && { port }) });

describe('launch options', () => {
  it('leave host and port to the stored setting (else 0.0.0.0:8000) when not given, as the headless server does', () => {
    expect(listen(launchOptions(argv()))).toEqual({});
    expect(listen(launchOptions(argv('--port=8001')))).toEqual({ port: 8001 });
    expect(listen(launchOptions(argv('--host=127.0.0.1')))).toEqual({ host: '127.0.0.1' });
    expect(DEFAULTS.listen.port).toBe(8000);
  });

  it('take --host and --port with = or as the next argument', () => {
    expect(listen(launchOptions(argv('--host=127.0.0.1', '--port=8001')))).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(listen(launchOptions(argv('--host', '::1', '--port', '0')))).toEqual({ host: '::1', port: 0 });
  });

  it("ignore Chromium's and Playwright's own switches", () => {
    expect(listen(launchOptions(argv('--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '--port=9000')))).toEqual({
      port: 9000,
    });
  });

  it('take the same flags and environment as the headless server: the data folder and the bridges', () => {
    const given = launchOptions(argv('--data-dir=/tmp/pileup', '--wsjtx-port=2237'), { N1MM_UDP_PORT: '12060', PILEUP_DATA_DIR: '/elsewhere' });
    expect(given).toMatchObject({ dataDir: '/tmp/pileup', bridges: { wsjtx_port: 2237, n1mm_port: 12060 } });
  });

  it.each(['eighty', '', '1e3', '0x1F', '65536', '-1'])('refuse --port=%s', (port) => {
    expect(() => launchOptions(argv(`--port=${port}`))).toThrow(/--port must be a number from 0 to 65535/);
  });

  it('take --relay and --station-id as the headless server does', () => {
    expect(launchOptions(argv('--relay', 'tls://relay.example.org:4222', '--station-id=ea8abc')).relay).toEqual({
      servers: ['tls://relay.example.org:4222'],
      station_id: 'ea8abc',
    });
    expect(() => launchOptions(argv('--relay'))).toThrow(/--relay needs a NATS server URL/);
  });

  it('refuse a --host without an address', () => {
    expect(() => launchOptions(argv('--host'))).toThrow(/--host needs an address/);
  });
});
