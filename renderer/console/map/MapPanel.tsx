/**
 * The map tab: the world as seen from the operator's station, with the waiting callers, the
 * current QSO and the recent QSOs plotted where the server places them (their locator, else their
 * DXCC entity) and the beam heading as a line. Loaded lazily (see Console.tsx).
 */
import { useMemo } from 'react';
import { locatorPosition } from '../../../server/ham/locator-position.js';
import type { LatLon } from '../../../server/ham/geo.js';
import { bearingAndDistance } from '../../format/distance.js';
import { usePileup } from '../../store/react.js';
import { MAP_SIZE, worldMap } from './world-map.js';

interface Mark {
  key: string;
  callsign: string;
  kind: 'waiting' | 'current' | 'recent';
  position: LatLon;
  label: string;
}

function placed<T extends { callsign: string; lat?: number; lon?: number }>(item: T): (T & LatLon) | null {
  return item.lat === undefined || item.lon === undefined ? null : { ...item, lat: item.lat, lon: item.lon };
}

const KIND_TEXT = { waiting: 'waiting', current: 'working now', recent: 'worked' } as const;

export default function MapPanel() {
  const locator = usePileup((state) => state.station?.locator ?? state.pileup.station.locator);
  const unit = usePileup((state) => state.station?.distance_unit ?? 'km');
  const beamHeading = usePileup((state) => state.station?.beam_heading ?? state.pileup.station.beam_heading ?? null);
  const queue = usePileup((state) => state.pileup.queue);
  const current = usePileup((state) => state.pileup.current_qso);
  const recent = usePileup((state) => state.recent.qsos);
  const origin = useMemo(() => (locator === null ? null : locatorPosition(locator)), [locator]);
  const map = useMemo(() => worldMap(origin ?? { lat: 0, lon: 0 }), [origin]);

  const marks: Mark[] = [];
  const seen = new Set<string>();
  const add = (kind: Mark['kind'], key: string, item: Parameters<typeof bearingAndDistance>[0] & { callsign: string; lat?: number; lon?: number }) => {
    const where = placed(item);
    if (where === null || seen.has(item.callsign)) return;
    seen.add(item.callsign);
    const heading = bearingAndDistance(item, unit);
    marks.push({ key, callsign: item.callsign, kind, position: where, label: `${item.callsign}, ${KIND_TEXT[kind]}${heading === null ? '' : `, ${heading}`}` });
  };
  if (current !== null) add('current', `current-${current.qso_id}`, current);
  for (const entry of queue) add('waiting', `waiting-${entry.callsign}`, entry);
  for (const qso of recent.slice(0, 30)) add('recent', `recent-${qso.qso_id}`, qso);

  const centre = map.point(origin ?? { lat: 0, lon: 0 });
  const beam = origin !== null && beamHeading !== null ? map.beam(beamHeading) : null;
  const waiting = marks.filter((mark) => mark.kind !== 'recent').length;
  const summary = `World map centred on ${locator ?? 'latitude 0, longitude 0'}: ${waiting} waiting or being worked, ${marks.length - waiting} recent QSOs`;

  return (
    <div className="map-panel">
      {origin === null && (
        <p className="muted">Set your station’s locator under Settings: the map then centres on it and shows bearings.</p>
      )}
      <svg className="world-map" viewBox={`0 0 ${MAP_SIZE} ${MAP_SIZE}`} role="img" aria-label={summary}>
        <path className="map-sphere" d={map.sphere} />
        <path className="map-graticule" d={map.graticule} />
        <path className="map-land" d={map.land} />
        {beam !== null && centre !== null && (
          <line className="map-beam" x1={centre[0]} y1={centre[1]} x2={beam[0]} y2={beam[1]}>
            <title>Beam heading {beamHeading}°</title>
          </line>
        )}
        {centre !== null &&
          marks
            .filter((mark) => mark.kind !== 'recent')
            .map((mark) => {
              const at = map.point(mark.position);
              return at === null ? null : <line key={`path-${mark.key}`} className={`map-path is-${mark.kind}`} x1={centre[0]} y1={centre[1]} x2={at[0]} y2={at[1]} />;
            })}
        {marks.map((mark) => {
          const at = map.point(mark.position);
          if (at === null) return null;
          return (
            <g key={mark.key} className={`map-mark is-${mark.kind}`} transform={`translate(${at[0].toFixed(1)} ${at[1].toFixed(1)})`}>
              <circle r={mark.kind === 'recent' ? 3 : 5}>
                <title>{mark.label}</title>
              </circle>
              {/* Near the right rim the label goes to the left of its dot, so it is not cut off. */}
              {mark.kind !== 'recent' &&
                (at[0] > MAP_SIZE * 0.8 ? (
                  <text x={-7} y={4} textAnchor="end">
                    {mark.callsign}
                  </text>
                ) : (
                  <text x={7} y={4}>
                    {mark.callsign}
                  </text>
                ))}
            </g>
          );
        })}
        {centre !== null && origin !== null && <circle className="map-home" cx={centre[0]} cy={centre[1]} r={4} />}
      </svg>
      <p className="map-legend muted">
        <span className="legend-item is-current">working now</span> <span className="legend-item is-waiting">waiting</span>{' '}
        <span className="legend-item is-recent">worked recently</span>
        {beamHeading !== null && <> · beam {beamHeading}°</>}
      </p>
    </div>
  );
}
