import { describe, expect, it } from 'vitest';
import { countryFields, countryOf } from '../../server/ham/country.js';

describe('country lookup from the bundled country file', () => {
  it.each([
    ['DL1ABC', 'Germany', 'EU', 14],
    ['EA8/DL1ABC', 'Canary Is', 'AF', 33],
    ['DL1ABC/EA8', 'Canary Is', 'AF', 33],
    ['KH6/K1ABC', 'Hawaii', 'OC', 31],
    ['VP8/G4XYZ', 'Falkland Is', 'SA', 13],
    ['4U1ITU', 'ITU HQ', 'EU', 14],
  ])('resolves %s to %s', (callsign, name, continent, cqZone) => {
    const found = countryOf(callsign);
    expect(found?.country).toContain(name);
    expect(found).toMatchObject({ continent, cq_zone: cqZone });
  });

  it('ignores operating suffixes such as /P and /QRP', () => {
    expect(countryOf('DL1ABC/P')).toEqual(countryOf('DL1ABC'));
    expect(countryOf('EA8/DL1ABC/P')?.country).toContain('Canary Is');
  });

  it('puts maritime and aeronautical mobile stations in no entity', () => {
    expect(countryOf('DL1ABC/MM')).toBeNull();
    expect(countryOf('W1AW/AM')).toBeNull();
  });

  it('answers an unknown prefix with no country, never an error', () => {
    expect(countryOf('QQ1ABC')).toBeNull();
    expect(countryFields('QQ1ABC')).toEqual({});
  });
});
