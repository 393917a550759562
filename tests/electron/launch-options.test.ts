import { describe, expect, it } from 'vitest';
import { launchOptions } from '../../electron/launch-options.js';
import { DEFAULT_LISTEN } from '../../server/protocol/listen.js';

/** argv as Electron gives it in development: the binary, the app folder, then the switches. */
const argv = (...switches: string[]) => ['/usr/bin/electron', '.', ...switches];

describe('launch options', () => {
  it('leave host and port to the stored setting (else 0.0.0.0:8000) when not given, as the headless server does', () => {
    expect(launchOptions(argv())).toEqual({});
    expect(launchOptions(argv('--port=8001'))).toEqual({ port: 8001 });
    expect(launchOptions(argv('--host=127.0.0.1'))).toEqual({ host: '127.0.0.1' });
    expect(DEFAULT_LISTEN.port).toBe(8000);
  });

  it('take --host and --port with = or as the next argument', () => {
    expect(launchOptions(argv('--host=127.0.0.1', '--port=8001'))).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(launchOptions(argv('--host', '::1', '--port', '0'))).toEqual({ host: '::1', port: 0 });
  });

  it("ignore Chromium's and Playwright's own switches", () => {
    expect(launchOptions(argv('--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '--port=9000'))).toEqual({
      port: 9000,
    });
  });

  it.each(['eighty', '', '1e3', '0x1F', '65536', '-1'])('refuse --port=%s', (port) => {
    expect(() => launchOptions(argv(`--port=${port}`))).toThrow(/--port must be a number from 0 to 65535/);
  });

  it('take --relay and --station-id as the headless server does', () => {
    expect(launchOptions(argv('--relay', 'tls://relay.example.org:4222', '--station-id=ea8abc'))).toEqual({
      relay: { relay: 'tls://relay.example.org:4222', stationId: 'ea8abc' },
    });
    expect(() => launchOptions(argv('--relay'))).toThrow(/--relay and --station-id need a value/);
  });

  it('refuse a --host without an address', () => {
    expect(() => launchOptions(argv('--host'))).toThrow(/--host needs an address/);
  });
});
