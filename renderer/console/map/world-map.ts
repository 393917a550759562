/**
 * The geometry of the console's map, without React: an azimuthal-equidistant projection centred
 * on the operator's station (d3-geo), so every great circle from the station — the short path to
 * each caller, the beam heading — is a straight line from the centre, and distance from the
 * centre is distance on the earth. The land is Natural Earth's 1:110m outline from world-atlas,
 * bundled: no tile server, works offline.
 */
import { geoAzimuthalEquidistant, geoGraticule10, geoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import landTopology from 'world-atlas/land-110m.json';
import { destination, type LatLon } from '../../../server/ham/geo.js';

export const MAP_SIZE = 600;
/** Half the earth's circumference: the rim of the map is the station's antipode. */
const ANTIPODE_KM = 20_015;

const topology = landTopology as unknown as Topology<{ land: GeometryCollection }>;
const land = feature(topology, topology.objects.land);
const graticule = geoGraticule10();

export interface WorldMap {
  projection: GeoProjection;
  /** SVG path data. */
  sphere: string;
  land: string;
  graticule: string;
  /** The screen point of a position, or null when it cannot be drawn. */
  point(position: LatLon): [number, number] | null;
  /** From the centre to the rim along a bearing (degrees): the beam heading. */
  beam(bearing: number): [number, number] | null;
}

export function worldMap(origin: LatLon, size = MAP_SIZE): WorldMap {
  const projection = geoAzimuthalEquidistant()
    .rotate([-origin.lon, -origin.lat])
    .clipAngle(180 - 1e-3)
    .fitExtent(
      [
        [4, 4],
        [size - 4, size - 4],
      ],
      { type: 'Sphere' },
    );
  const path = geoPath(projection);
  const point = (position: LatLon): [number, number] | null => projection([position.lon, position.lat]);
  return {
    projection,
    sphere: path({ type: 'Sphere' }) ?? '',
    land: path(land) ?? '',
    graticule: path(graticule) ?? '',
    point,
    beam: (bearing) => point(destination(origin, bearing, ANTIPODE_KM - 50)),
  };
}
