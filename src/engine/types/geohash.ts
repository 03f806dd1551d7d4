/**
 * Geohashes as Redis 7.0 computes them (geohash.c, geohash_helper.c): a position becomes two
 * cell indices of `step` bits each (latitude over -85.05112878..85.05112878, longitude over
 * -180..180), interleaved so that the longitude takes the odd bits. At step 26 the 52-bit result
 * is the sorted-set score of a geo member, so nearby places get nearby scores.
 *
 * The arithmetic keeps C's order of double operations, because the scores, the decoded
 * coordinates and the cells a search visits all show in replies.
 */

import { asin, cos, sin } from './geo-math.js';

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;

/** Earth's quadratic mean radius for WGS-84, as Redis has it. */
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;

export interface GeoHashRange {
  readonly min: number;
  readonly max: number;
}

/** The ranges Redis indexes on (EPSG:900913: no poles). */
export const LONG_RANGE: GeoHashRange = { min: GEO_LONG_MIN, max: GEO_LONG_MAX };
export const LAT_RANGE: GeoHashRange = { min: GEO_LAT_MIN, max: GEO_LAT_MAX };

/**
 * A geohash: `bits` holds 2 × step interleaved bits. As uint64 values may go past 2^53 (a
 * longitude of exactly 180 sets bit 53), they are BigInts.
 */
export interface GeoHashBits {
  readonly bits: bigint;
  readonly step: number;
}

export interface GeoHashArea {
  readonly hash: GeoHashBits;
  readonly longitude: GeoHashRange;
  readonly latitude: GeoHashRange;
}

/** The bits of a 16-bit value spread to the even positions of a 32-bit word. */
function spread16(v: number): number {
  v &= 0xffff;
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** The even bits of a 32-bit word, gathered into 16 bits. */
function compact16(w: number): number {
  w &= 0x55555555;
  w = (w | (w >>> 1)) & 0x33333333;
  w = (w | (w >>> 2)) & 0x0f0f0f0f;
  w = (w | (w >>> 4)) & 0x00ff00ff;
  w = (w | (w >>> 8)) & 0x0000ffff;
  return w;
}

/** interleave64: x's bits (32) go to the even positions, y's to the odd ones. */
function interleave(x: number, y: number): bigint {
  const lo = (spread16(x) | (spread16(y) << 1)) >>> 0;
  const hi = (spread16(x >>> 16) | (spread16(y >>> 16) << 1)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** deinterleave64 of a 64-bit value given as two 32-bit words: the even bits and the odd bits. */
function deinterleaveWords(hi: number, lo: number): { even: number; odd: number } {
  return {
    even: (compact16(lo) | (compact16(hi) << 16)) >>> 0,
    odd: (compact16(lo >>> 1) | (compact16(hi >>> 1) << 16)) >>> 0,
  };
}

function deinterleave(v: bigint): { even: number; odd: number } {
  return deinterleaveWords(Number((v >> 32n) & 0xffffffffn), Number(v & 0xffffffffn));
}

/**
 * geohashEncode: undefined outside the indexable area. The offsets are truncated to integers as
 * C's conversion to uint32_t does, so the top edge of a range (offset exactly 1) spills one bit
 * past the step.
 */
export function geohashEncode(longRange: GeoHashRange, latRange: GeoHashRange, longitude: number, latitude: number, step: number): GeoHashBits | undefined {
  if (longitude > GEO_LONG_MAX || longitude < GEO_LONG_MIN || latitude > GEO_LAT_MAX || latitude < GEO_LAT_MIN) return undefined;
  if (latitude < latRange.min || latitude > latRange.max || longitude < longRange.min || longitude > longRange.max) return undefined;
  let latOffset = (latitude - latRange.min) / (latRange.max - latRange.min);
  let longOffset = (longitude - longRange.min) / (longRange.max - longRange.min);
  latOffset *= 2 ** step;
  longOffset *= 2 ** step;
  const bits = interleave(Math.trunc(latOffset), Math.trunc(longOffset));
  return { bits, step };
}

/** geohashEncodeWGS84 */
export function geohashEncodeWGS84(longitude: number, latitude: number, step: number): GeoHashBits | undefined {
  return geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, step);
}

/** geohashDecode: the cell a hash names. */
export function geohashDecode(longRange: GeoHashRange, latRange: GeoHashRange, hash: GeoHashBits): GeoHashArea {
  const { even, odd } = deinterleave(hash.bits);
  return { hash, ...decodeCell(longRange, latRange, even, odd, hash.step) };
}

/** The cell of latitude index `ilato` and longitude index `ilono` at `step`. */
function decodeCell(longRange: GeoHashRange, latRange: GeoHashRange, ilato: number, ilono: number, step: number): Omit<GeoHashArea, 'hash'> {
  const latScale = latRange.max - latRange.min;
  const longScale = longRange.max - longRange.min;
  const cells = 2 ** step;
  return {
    latitude: {
      min: latRange.min + ((ilato * 1.0) / cells) * latScale,
      max: latRange.min + (((ilato + 1) * 1.0) / cells) * latScale,
    },
    longitude: {
      min: longRange.min + ((ilono * 1.0) / cells) * longScale,
      max: longRange.min + (((ilono + 1) * 1.0) / cells) * longScale,
    },
  };
}

/** geohashDecodeAreaToLongLat: the centre of the cell, kept inside the indexable area. */
export function areaCentre(area: Omit<GeoHashArea, 'hash'>): [number, number] {
  let x = (area.longitude.min + area.longitude.max) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (area.latitude.min + area.latitude.max) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

const TWO_63 = 2 ** 63;
const UINT64_INDEFINITE = 1n << 63n;

/**
 * `(uint64_t)score` as x86-64 code compiled by gcc converts it: cvttsd2si on the value (or on
 * value - 2^63, top bit flipped back, when it is ≥ 2^63). A negative score wraps around; NaN,
 * infinities and scores of 2^64 or more give the "integer indefinite" pattern.
 */
function doubleToUint64(d: number): bigint {
  const cvttsd2si = (v: number): bigint =>
    Number.isFinite(v) && v > -TWO_63 && v < TWO_63 ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : UINT64_INDEFINITE;
  if (d >= TWO_63) return cvttsd2si(d - TWO_63) ^ UINT64_INDEFINITE;
  return cvttsd2si(d);
}

/**
 * decodeGeohash: a sorted-set score back to [longitude, latitude], the centre of its step-26
 * cell. Any score decodes (a hash is "zero" only with step 0), so this never fails.
 */
export function decodeGeohashScore(score: number): [number, number] {
  let hi: number;
  let lo: number;
  if (score >= 0 && score < 2 ** 64) {
    // The common case, without BigInts: the integer part splits exactly into two words.
    const t = Math.trunc(score);
    hi = Math.floor(t / 2 ** 32);
    lo = t - hi * 2 ** 32;
  } else {
    const bits = doubleToUint64(score);
    hi = Number(bits >> 32n);
    lo = Number(bits & 0xffffffffn);
  }
  const { even, odd } = deinterleaveWords(hi, lo);
  return areaCentre(decodeCell(LONG_RANGE, LAT_RANGE, even, odd, GEO_STEP_MAX));
}

/** geohashAlign52Bits: the hash as a 52-bit score prefix. */
export function align52Bits(hash: GeoHashBits): bigint {
  return hash.bits << BigInt(52 - hash.step * 2);
}

/**
 * The score GEOADD stores for a position: the 52-bit hash, read back as a double as ZADD reads
 * the decimal string GEOADD passes it (which rounds only past 2^53).
 */
export function geoScore(longitude: number, latitude: number): number {
  const hash = geohashEncodeWGS84(longitude, latitude, GEO_STEP_MAX);
  if (!hash) throw new Error('geoScore: position outside the indexable area');
  return Number(align52Bits(hash));
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

/**
 * GEOHASH's string for a score: the position re-encoded over the standard -180..180 / -90..90
 * ranges, 10 base32 characters of its 52 bits and an 11th that is always '0'.
 */
export function geohashString(score: number): string {
  const [x, y] = decodeGeohashScore(score);
  const hash = geohashEncode({ min: -180, max: 180 }, { min: -90, max: 90 }, x, y, GEO_STEP_MAX) as GeoHashBits;
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((hash.bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += GEOALPHABET[idx];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Neighbours and search areas (geohash_helper.c)

export interface GeoHashNeighbors {
  north: GeoHashBits | undefined;
  east: GeoHashBits | undefined;
  west: GeoHashBits | undefined;
  south: GeoHashBits | undefined;
  north_east: GeoHashBits | undefined;
  south_east: GeoHashBits | undefined;
  north_west: GeoHashBits | undefined;
  south_west: GeoHashBits | undefined;
}

/**
 * geohash_move_x / geohash_move_y: one cell east/west (longitude, the odd bits) and north/south
 * (latitude, the even bits), wrapping around within the step's bits as the C bit tricks do.
 */
function move(hash: GeoHashBits, dx: number, dy: number): GeoHashBits {
  const { even, odd } = deinterleave(hash.bits);
  const cells = 2 ** hash.step;
  const wrap = (v: number, d: number): number => (((v + d) % cells) + cells) % cells;
  // Only a coordinate that moves is masked to the step's bits, as in C.
  const lat = dy === 0 ? even : wrap(even, dy);
  const long = dx === 0 ? odd : wrap(odd, dx);
  return { bits: interleave(lat, long), step: hash.step };
}

/** geohashNeighbors */
function neighborsOf(hash: GeoHashBits): GeoHashNeighbors {
  return {
    east: move(hash, 1, 0),
    west: move(hash, -1, 0),
    south: move(hash, 0, -1),
    north: move(hash, 0, 1),
    north_west: move(hash, -1, 1),
    north_east: move(hash, 1, 1),
    south_east: move(hash, 1, -1),
    south_west: move(hash, -1, -1),
  };
}

/** geohashEstimateStepsByRadius: the step whose cells are about the size of the search. */
function estimateStepsByRadius(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2; // Make sure range is included in most of the base cases.
  // Wider range towards the poles.
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** A search shape: a circle (radius) or a box (width × height), in `conversion` units to meters. */
export type GeoShape =
  | { readonly type: 'radius'; readonly xy: readonly [number, number]; readonly conversion: number; readonly radius: number }
  | { readonly type: 'box'; readonly xy: readonly [number, number]; readonly conversion: number; readonly width: number; readonly height: number };

const degRad = (ang: number): number => ang * D_R;
const radDeg = (ang: number): number => ang / D_R;

/** geohashBoundingBox: [min long, min lat, max long, max lat] around the shape. */
function boundingBox(shape: GeoShape): [number, number, number, number] {
  const [longitude, latitude] = shape.xy;
  const height = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.height / 2);
  const width = shape.conversion * (shape.type === 'radius' ? shape.radius : shape.width / 2);
  const latDelta = radDeg(height / EARTH_RADIUS_IN_METERS);
  const longDeltaTop = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(latitude + latDelta)));
  const longDeltaBottom = radDeg(width / EARTH_RADIUS_IN_METERS / cos(degRad(latitude - latDelta)));
  // The box is widest towards the equator: use that edge's longitudes.
  const southern = latitude < 0;
  return [
    southern ? longitude - longDeltaBottom : longitude - longDeltaTop,
    latitude - latDelta,
    southern ? longitude + longDeltaBottom : longitude + longDeltaTop,
    latitude + latDelta,
  ];
}

/** What geohashCalculateAreasByShapeWGS84 returns: the centre cell and its useful neighbours. */
export interface GeoHashRadius {
  readonly hash: GeoHashBits;
  readonly neighbors: GeoHashNeighbors;
  readonly area: GeoHashArea;
}

/**
 * geohashCalculateAreasByShapeWGS84: the cell holding the centre, at a step about the size of
 * the search, and the eight around it; neighbours the bounding box does not reach are dropped.
 */
export function calculateAreasByShape(shape: GeoShape): GeoHashRadius {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(shape);
  const [longitude, latitude] = shape.xy;
  let radiusMeters = shape.type === 'radius'
    ? shape.radius
    : Math.sqrt((shape.width / 2) * (shape.width / 2) + (shape.height / 2) * (shape.height / 2));
  radiusMeters *= shape.conversion;

  let steps = estimateStepsByRadius(radiusMeters, latitude);
  let hash = geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps) as GeoHashBits;
  let neighbors = neighborsOf(hash);
  let area = geohashDecode(LONG_RANGE, LAT_RANGE, hash);

  // Near a cell's edge the estimated step can be too fine for a neighbour to cover the search.
  const north = geohashDecode(LONG_RANGE, LAT_RANGE, neighbors.north as GeoHashBits);
  const south = geohashDecode(LONG_RANGE, LAT_RANGE, neighbors.south as GeoHashBits);
  const east = geohashDecode(LONG_RANGE, LAT_RANGE, neighbors.east as GeoHashBits);
  const west = geohashDecode(LONG_RANGE, LAT_RANGE, neighbors.west as GeoHashBits);
  const decreaseStep = north.latitude.max < maxLat || south.latitude.min > minLat ||
    east.longitude.max < maxLon || west.longitude.min > minLon;
  if (steps > 1 && decreaseStep) {
    steps--;
    hash = geohashEncode(LONG_RANGE, LAT_RANGE, longitude, latitude, steps) as GeoHashBits;
    neighbors = neighborsOf(hash);
    area = geohashDecode(LONG_RANGE, LAT_RANGE, hash);
  }

  // Exclude the search areas that are useless.
  if (steps >= 2) {
    if (area.latitude.min < minLat) {
      neighbors.south = neighbors.south_west = neighbors.south_east = undefined;
    }
    if (area.latitude.max > maxLat) {
      neighbors.north = neighbors.north_east = neighbors.north_west = undefined;
    }
    if (area.longitude.min < minLon) {
      neighbors.west = neighbors.south_west = neighbors.north_west = undefined;
    }
    if (area.longitude.max > maxLon) {
      neighbors.east = neighbors.south_east = neighbors.north_east = undefined;
    }
  }
  return { hash, neighbors, area };
}

// ---------------------------------------------------------------------------------------------
// Distances

/** geohashGetLatDistance: along a meridian, asin(sin(x)) simplified to x. */
function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
}

/** geohashGetDistance: the haversine great-circle distance in meters. */
export function geohashGetDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = degRad(lon1d);
  const lon2r = degRad(lon2d);
  const v = sin((lon2r - lon1r) / 2);
  // Same longitude: skip the expensive part.
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = degRad(lat1d);
  const lat2r = degRad(lat2d);
  const u = sin((lat2r - lat1r) / 2);
  const a = u * u + cos(lat1r) * cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * asin(Math.sqrt(a));
}

/**
 * geohashGetDistanceIfInRadius / geohashGetDistanceIfInRectangle: the distance from the shape's
 * centre to the point, or undefined when the point is outside the shape (in meters).
 */
export function distanceIfInShape(shape: GeoShape, x2: number, y2: number): number | undefined {
  const [x1, y1] = shape.xy;
  if (shape.type === 'radius') {
    const distance = geohashGetDistance(x1, y1, x2, y2);
    return distance > shape.radius * shape.conversion ? undefined : distance;
  }
  const widthM = shape.width * shape.conversion;
  const heightM = shape.height * shape.conversion;
  // The latitude test is cheaper, so it comes first.
  if (latDistance(y2, y1) > heightM / 2) return undefined;
  if (geohashGetDistance(x2, y2, x1, y2) > widthM / 2) return undefined;
  return geohashGetDistance(x1, y1, x2, y2);
}
