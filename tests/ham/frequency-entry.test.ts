import { describe, expect, it } from 'vitest';
import { bandOf } from '../../server/ham/band.js';
import { readFrequency } from '../../server/protocol/frequency.js';

describe('readFrequency: a frequency typed in MHz or kHz', () => {
  it.each([
    ['14.195', '14.195', 'MHz', '20m'],
    ['7.074', '7.074', 'MHz', '40m'],
    ['144.300', '144.300', 'MHz', '2m'],
    ['432', '432', 'MHz', '70cm'],
    ['1296', '1296', 'MHz', '23cm'],
    ['10368', '10368', 'MHz', '3cm'],
    ['14195', '14.195', 'kHz', '20m'],
    ['7074', '7.074', 'kHz', '40m'],
    ['1840', '1.84', 'kHz', '160m'],
    ['10136', '10.136', 'kHz', '30m'],
    ['14195.5', '14.1955', 'kHz', '20m'],
    ['50313', '50.313', 'kHz', '6m'],
    ['144300', '144.3', 'kHz', '2m'],
    ['475', '0.475', 'kHz', '630m'],
    [' 28074 ', '28.074', 'kHz', '10m'],
  ])('reads %s as %s MHz (%s, %s)', (typed, mhz, unit, band) => {
    expect(readFrequency(typed)).toEqual({ ok: true, mhz, unit, band });
  });

  it('reads numbers like strings', () => {
    expect(readFrequency(14195)).toMatchObject({ ok: true, mhz: '14.195' });
    expect(readFrequency(14.205)).toMatchObject({ ok: true, mhz: '14.205' });
  });

  it('refuses a frequency outside every amateur band, saying how it was read', () => {
    const reading = readFrequency('14500');
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toBe(
      '14500 is outside the amateur bands, read as MHz and as kHz (14.5 MHz); give MHz (14.195) or kHz (14195)',
    );
    expect(readFrequency('14.5')).toMatchObject({ ok: false });
    expect(readFrequency('1000')).toMatchObject({ ok: false });
  });

  it.each(['', 'abc', '20m', '-14.195', '0', '14,195', '1e4', '14.12345678'])('refuses %j as not a frequency', (typed) => {
    expect(readFrequency(typed)).toEqual({ ok: false, problem: 'must be a frequency in MHz (14.195) or kHz (14195)' });
  });

  it('puts the band edges inside their band', () => {
    expect(bandOf('14.0')).toBe('20m');
    expect(bandOf('14.35')).toBe('20m');
    expect(bandOf('14.3501')).toBeUndefined();
  });
});
