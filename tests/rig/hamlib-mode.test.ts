import { describe, expect, it } from 'vitest';
import { modeFromHamlib } from '../../server/ham/hamlib-mode.js';

describe('Hamlib modes → station modes', () => {
  it.each([
    ['USB', 'USB'],
    ['LSB', 'LSB'],
    ['CW', 'CW'],
    ['CWR', 'CW'],
    ['RTTY', 'RTTY'],
    ['RTTYR', 'RTTY'],
    ['AM', 'AM'],
    ['SAM', 'AM'],
    ['FM', 'FM'],
    ['WFM', 'FM'],
    ['FMN', 'FM'],
    ['ECSSUSB', 'USB'],
    ['PSK', 'PSK'],
    ['D-STAR', 'DSTAR'],
    ['C4FM', 'C4FM'],
    [' usb ', 'USB'],
  ])('%s is %s', (hamlib, mode) => {
    expect(modeFromHamlib(hamlib)).toBe(mode);
  });

  it.each(['PKTUSB', 'PKTLSB', 'PKTFM', 'PKTAM', 'DSB', 'FAX', 'IQ', 'P25', '', 'NONE', 'constructor', '__proto__'])(
    '%j sets no mode: the station keeps its own (a data mode\'s real mode is the software\'s)',
    (hamlib) => {
      expect(modeFromHamlib(hamlib)).toBeUndefined();
    },
  );
});
