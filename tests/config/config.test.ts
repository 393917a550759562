import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../server/config/defaults.js';
import { ConfigError, givenFromEnv, readGiven } from '../../server/config/given.js';
import { firstDefined, layered } from '../../server/config/precedence.js';

describe('precedence: given > stored > default', () => {
  it('takes the given value over the stored one, and the stored one over the default', () => {
    expect(firstDefined(5, 7, DEFAULTS.maxQueueSize)).toBe(5);
    expect(firstDefined(undefined, 7, DEFAULTS.maxQueueSize)).toBe(7);
    expect(firstDefined(undefined, undefined, DEFAULTS.maxQueueSize)).toBe(4);
  });

  it('layers settings field by field, and an undefined field does not hide the one below', () => {
    expect(layered({ port: 8001, host: undefined }, { host: '127.0.0.1' }, DEFAULTS.listen)).toEqual({ host: '127.0.0.1', port: 8001 });
    expect(layered({}, null, DEFAULTS.listen)).toEqual({ host: '0.0.0.0', port: 8000 });
  });
});

describe('flags and environment', () => {
  it('reads every flag and variable a start takes, flags winning over the environment', () => {
    const given = readGiven(
      ['--host', '127.0.0.1', '--port=8001', '--data-dir', '/data', '--wsjtx-port', '2237', '--bridge-host=127.0.0.1'],
      { PILEUP_DATA_DIR: '/env-data', WSJTX_UDP_PORT: '2238', N1MM_UDP_PORT: '12060', MAX_QUEUE_SIZE: '10', ADMIN_USERNAME: ' op ' },
      true,
    );
    expect(given).toMatchObject({
      host: '127.0.0.1',
      port: 8001,
      dataDir: '/data',
      maxQueueSize: 10,
      username: 'op',
      bridges: { wsjtx_port: 2237, n1mm_port: 12060, bind_address: '127.0.0.1' },
    });
  });

  it('leaves out what was not given, so the stored settings and the defaults apply', () => {
    const given = readGiven([], {}, true);
    expect(given).toEqual({ bridges: {}, relay: {}, origins: { allowedHosts: [], allowedOrigins: [] } });
  });

  it.each([
    [{ MAX_QUEUE_SIZE: 'lots' }, 'MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got "lots"'],
    [{ MAX_QUEUE_SIZE: '1001' }, 'MAX_QUEUE_SIZE must be a whole number from 1 to 1000, got "1001"'],
    [{ WSJTX_UDP_PORT: '2237x' }, 'WSJTX_UDP_PORT must be a number from 0 to 65535, got "2237x"'],
    [{ N1MM_UDP_PORT: '70000' }, 'N1MM_UDP_PORT must be a number from 0 to 65535, got "70000"'],
    [{ ALLOWED_ORIGINS: 'club.example' }, 'ALLOWED_ORIGINS: "club.example" is not an origin like https://club.example'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => givenFromEnv(env)).toThrow(new ConfigError(message));
  });

  it('refuses a flag that is not a port, with the same rule as the variables', () => {
    expect(() => readGiven(['--wsjtx-port=1e3'], {}, true)).toThrow('--wsjtx-port must be a number from 0 to 65535, got "1e3"');
  });
});

describe('--rigctld and RIGCTLD_ADDRESS', () => {
  it.each([
    ['127.0.0.1:4532', { rigctld_enabled: true, rigctld_host: '127.0.0.1', rigctld_port: 4532 }],
    ['shack-pi.local', { rigctld_enabled: true, rigctld_host: 'shack-pi.local' }],
    ['[::1]:4533', { rigctld_enabled: true, rigctld_host: '::1', rigctld_port: 4533 }],
    ['::1', { rigctld_enabled: true, rigctld_host: '::1' }],
    ['on', { rigctld_enabled: true }],
    ['OFF', { rigctld_enabled: false }],
  ])('reads %j', (raw, bridges) => {
    expect(readGiven([`--rigctld=${raw}`], {}, true).bridges).toEqual(bridges);
    expect(givenFromEnv({ RIGCTLD_ADDRESS: raw }).bridges).toEqual(bridges);
  });

  it('lets the flag win field by field: `--rigctld on` keeps the address the environment gave', () => {
    expect(readGiven(['--rigctld', 'on'], { RIGCTLD_ADDRESS: '192.0.2.7:4532' }, true).bridges).toEqual({
      rigctld_enabled: true,
      rigctld_host: '192.0.2.7',
      rigctld_port: 4532,
    });
    expect(readGiven(['--rigctld', 'off'], { RIGCTLD_ADDRESS: '192.0.2.7' }, true).bridges).toMatchObject({ rigctld_enabled: false });
  });

  it.each(['127.0.0.1:0', '127.0.0.1:70000', 'shack pi', 'host:port', 'host:', ':4532', '-bad']) ('refuses %j with one line naming the flag or variable', (raw) => {
    expect(() => readGiven([`--rigctld=${raw}`], {}, true)).toThrow(
      new ConfigError(`--rigctld must be on, off or HOST[:PORT] (e.g. --rigctld=127.0.0.1:4532), got ${JSON.stringify(raw)}`),
    );
    expect(() => givenFromEnv({ RIGCTLD_ADDRESS: raw })).toThrow(`RIGCTLD_ADDRESS must be on, off or HOST[:PORT]`);
  });
});
