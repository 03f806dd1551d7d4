/**
 * Geospatial commands (geo.c): a geo key is a plain sorted set whose scores are 52-bit geohashes
 * (geohash.ts). GEOADD hands the encoded positions to ZADD, as Redis does; the searches query the
 * score ranges of the nine cells around the centre, keep the points inside the shape and sort
 * them by distance when asked (or when COUNT needs the closest ones).
 */
import {
  array, bulk, bulkArray, EMPTY_ARRAY, integer, NIL, NIL_ARRAY, ZERO, type DoubleReply, type Reply,
} from '../../resp/reply.js';
import { is, parseDouble, parseInteger } from '../args.js';
import type { Client } from '../client.js';
import type { Handler, Handlers } from '../commands.js';
import {
  GEO_ANY_NEEDS_COUNT, GEO_COULD_NOT_DECODE_MEMBER, GEO_COUNT_NOT_POSITIVE, GEO_HEIGHT_OR_WIDTH_NEGATIVE,
  GEO_NEED_NUMERIC_HEIGHT, GEO_NEED_NUMERIC_RADIUS, GEO_NEED_NUMERIC_WIDTH, GEO_RADIUS_NEGATIVE,
  GEO_UNSUPPORTED_UNIT, geoExactlyOneCenter, geoExactlyOneShape, geoInvalidPair, geoStoreNotCompatible,
  RedisError, SYNTAX,
} from '../errors.js';
import { rewriteCommand } from '../propagate.js';
import {
  align52Bits, calculateAreasByShape, decodeGeohashScore, distanceIfInShape, GEO_LAT_MAX, GEO_LAT_MIN,
  GEO_LONG_MAX, GEO_LONG_MIN, geohashGetDistance, geohashString, geoScore, type GeoHashBits,
  type GeoHashRadius, type GeoShape,
} from './geohash.js';
import { commands as zsetCommands, ZSetValue } from './zset.js';

// ---------------------------------------------------------------------------------------------
// Number formatting

/** A finite double exactly, as significand × 2^exponent. */
function exactParts(x: number): { negative: boolean; significand: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const negative = hi >>> 31 === 1;
  if (biased === 0) return { negative, significand: fraction, exponent: -1074 };
  return { negative, significand: fraction | (1n << 52n), exponent: biased - 1075 };
}

/**
 * printf's "%.<digits>f" of a double: its exact value rounded half to even (glibc), all of its
 * integer digits (1e300 prints 301 of them).
 */
export function printfFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  const { negative, significand, exponent } = exactParts(x);
  const scaled = significand * 10n ** BigInt(digits);
  let units: bigint;
  if (exponent >= 0) {
    units = scaled << BigInt(exponent);
  } else {
    const shift = BigInt(-exponent);
    units = scaled >> shift;
    const dropped = scaled - (units << shift);
    const half = 1n << (shift - 1n);
    if (dropped > half || (dropped === half && (units & 1n) === 1n)) units++;
  }
  const text = units.toString().padStart(digits + 1, '0');
  const point = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return (negative ? '-' : '') + point;
}

/**
 * addReplyHumanLongDouble: "%.17Lf" without trailing zeros ("-0" as "0"); a bulk string in RESP2,
 * a double in RESP3, both with that text.
 */
function humanDouble(x: number): DoubleReply {
  let text = printfFixed(x, 17);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  if (text === '-0') text = '0';
  return { kind: 'double', value: x, text };
}

/** C's llrint: to the nearest integer, ties to even (the default rounding mode). */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * addReplyDoubleDistance (fixedpoint_d2string with 4 digits): "5.2145 meters away" is nicer than
 * %.17g's digits.
 */
function distanceReply(d: number): Reply {
  if (d === 0) return bulk('0.0000');
  const units = BigInt(rint(d * 10000));
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(5, '0');
  return bulk(`${negative ? '-' : ''}${digits.slice(0, -4)}.${digits.slice(-4)}`);
}

/** addReplyLongLong(c, score): the double converted to long long (x86 gives LLONG_MIN when out of range). */
function hashReply(score: number): Reply {
  if (!Number.isFinite(score) || score >= 2 ** 63 || score < -(2 ** 63)) return integer(-(2n ** 63n));
  return integer(BigInt(Math.trunc(score)));
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** extractLongLatOrReply: a longitude and a latitude inside the indexable area. */
function parseLongLat(longitude: string, latitude: string): [number, number] {
  const x = parseDouble(longitude);
  const y = parseDouble(latitude);
  if (x < GEO_LONG_MIN || x > GEO_LONG_MAX || y < GEO_LAT_MIN || y > GEO_LAT_MAX) {
    throw new RedisError(geoInvalidPair(printfFixed(x, 6), printfFixed(y, 6)));
  }
  return [x, y];
}

/** extractUnitOrReply: meters per unit. */
function parseUnit(unit: string): number {
  if (is(unit, 'M')) return 1;
  if (is(unit, 'KM')) return 1000;
  if (is(unit, 'FT')) return 0.3048;
  if (is(unit, 'MI')) return 1609.34;
  throw new RedisError(GEO_UNSUPPORTED_UNIT);
}

/** extractDistanceOrReply: `radius unit`. */
function parseDistance(radius: string, unit: string): { radius: number; conversion: number } {
  const r = parseDouble(radius, GEO_NEED_NUMERIC_RADIUS);
  if (r < 0) throw new RedisError(GEO_RADIUS_NEGATIVE);
  return { radius: r, conversion: parseUnit(unit) };
}

/** extractBoxOrReply: `width height unit`. */
function parseBox(width: string, height: string, unit: string): { width: number; height: number; conversion: number } {
  const w = parseDouble(width, GEO_NEED_NUMERIC_WIDTH);
  const h = parseDouble(height, GEO_NEED_NUMERIC_HEIGHT);
  if (h < 0 || w < 0) throw new RedisError(GEO_HEIGHT_OR_WIDTH_NEGATIVE);
  return { width: w, height: h, conversion: parseUnit(unit) };
}

/** longLatFromMember: a member's position, or the error Redis gives for a missing one. */
function memberPosition(z: ZSetValue, member: string): [number, number] {
  const score = z.score(member);
  if (score === undefined) throw new RedisError(GEO_COULD_NOT_DECODE_MEMBER);
  return decodeGeohashScore(score);
}

// ---------------------------------------------------------------------------------------------
// GEOADD, GEOPOS, GEODIST, GEOHASH

/**
 * GEOADD key [NX | XX] [CH] longitude latitude member [longitude latitude member ...]
 * As geoaddCommand: the positions become scores, then ZADD does the rest (and its checks).
 */
function geoadd(c: Client, argv: readonly string[]): Reply {
  let nx = false, xx = false;
  let longIdx = 2;
  for (; longIdx < argv.length; longIdx++) {
    const opt = argv[longIdx] as string;
    if (is(opt, 'NX')) nx = true;
    else if (is(opt, 'XX')) xx = true;
    else if (!is(opt, 'CH')) break;
  }
  if ((argv.length - longIdx) % 3 !== 0 || (xx && nx)) throw new RedisError(SYNTAX);
  const zaddArgv = ['zadd', ...argv.slice(1, longIdx)];
  for (let i = longIdx; i < argv.length; i += 3) {
    const [x, y] = parseLongLat(argv[i] as string, argv[i + 1] as string);
    // GEOADD passes the score to ZADD as a decimal integer, which ZADD reads as a double.
    zaddArgv.push(BigInt(geoScore(x, y)).toString(), argv[i + 2] as string);
  }
  const zadd = zsetCommands.zadd as Handler;
  // Propagated as the ZADD it is.
  rewriteCommand(c, zaddArgv);
  return zadd(c, zaddArgv) as Reply;
}

/** GEOPOS key [member [member ...]] */
function geopos(c: Client, argv: readonly string[]): Reply {
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j] as string);
    if (score === undefined) {
      items.push(NIL_ARRAY);
      continue;
    }
    const [x, y] = decodeGeohashScore(score);
    items.push(array([humanDouble(x), humanDouble(y)]));
  }
  return array(items);
}

/** GEODIST key member1 member2 [M | KM | FT | MI] */
function geodist(c: Client, argv: readonly string[]): Reply {
  let toMeter = 1;
  // The unit is checked before the key is looked up.
  if (argv.length === 5) toMeter = parseUnit(argv[4] as string);
  else if (argv.length > 5) throw new RedisError(SYNTAX);
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  if (!z) return NIL;
  const score1 = z.score(argv[2] as string);
  const score2 = z.score(argv[3] as string);
  if (score1 === undefined || score2 === undefined) return NIL;
  const [x1, y1] = decodeGeohashScore(score1);
  const [x2, y2] = decodeGeohashScore(score2);
  return distanceReply(geohashGetDistance(x1, y1, x2, y2) / toMeter);
}

/** GEOHASH key [member [member ...]] */
function geohash(c: Client, argv: readonly string[]): Reply {
  const z = c.db.readAs(argv[1] as string, ZSetValue);
  const items: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const score = z?.score(argv[j] as string);
    items.push(score === undefined ? NIL : bulk(geohashString(score)));
  }
  return array(items);
}

// ---------------------------------------------------------------------------------------------
// The searches: GEORADIUS*, GEOSEARCH, GEOSEARCHSTORE (georadiusGeneric)

/** What a search found: geoPoint. `dist` is in meters until the reply converts it. */
interface GeoPoint {
  readonly member: string;
  readonly score: number;
  readonly longitude: number;
  readonly latitude: number;
  dist: number;
}

/**
 * geoGetPointsInRange: the members scored in [min, max) (one cell) that are inside the shape, in
 * score order, appended to `found`; stops once `limit` (if not 0) points are found in all.
 */
function pointsInRange(z: ZSetValue, min: number, max: number, shape: GeoShape, found: GeoPoint[], limit: number): void {
  for (const { member, score } of z.rangeByScore({ min, max, minex: false, maxex: true })) {
    const [longitude, latitude] = decodeGeohashScore(score);
    const dist = distanceIfInShape(shape, longitude, latitude);
    if (dist !== undefined) found.push({ member, score, longitude, latitude, dist });
    if (found.length && limit && found.length >= limit) break;
  }
}

/** scoresOfGeoHashBox + membersOfGeoHashBox: every score with the cell's bits as prefix. */
function membersOfBox(z: ZSetValue, hash: GeoHashBits, shape: GeoShape, found: GeoPoint[], limit: number): void {
  const min = Number(align52Bits(hash));
  const max = Number(align52Bits({ bits: hash.bits + 1n, step: hash.step }));
  pointsInRange(z, min, max, shape, found, limit);
}

/**
 * membersOfAllNeighbors: the centre cell, then N, S, E, W, NE, NW, SE, SW. With a huge radius
 * adjacent cells can be the same: a cell equal to the last one processed is skipped (but never
 * compared with the centre, as in Redis, whose index 0 reads as "none processed yet").
 */
function membersOfAllNeighbors(z: ZSetValue, areas: GeoHashRadius, shape: GeoShape, limit: number): GeoPoint[] {
  const n = areas.neighbors;
  const cells = [areas.hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west];
  const found: GeoPoint[] = [];
  let lastProcessed = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (!cell) continue;
    const last = cells[lastProcessed] as GeoHashBits;
    if (lastProcessed && cell.bits === last.bits && cell.step === last.step) continue;
    if (found.length && limit && found.length >= limit) break;
    membersOfBox(z, cell, shape, found, limit);
    lastProcessed = i;
  }
  return found;
}

type Compare = (a: GeoPoint, b: GeoPoint) => number;

/** sort_gp_asc */
const byDistance: Compare = (a, b) => (a.dist > b.dist ? 1 : a.dist === b.dist ? 0 : -1);

/**
 * pqsort.c: a partial quicksort that only sorts what lands at positions lrange..rrange. Redis
 * uses it when COUNT keeps fewer points than were found; its order of equal distances shows, so
 * it is ported as is. Positions are doubled (an element is 2 "bytes") so that C's pointer to the
 * last byte of the range, one before the next element, stays an integer.
 */
function pqsort(a: GeoPoint[], cmp: Compare, lrange: number, rrange: number): void {
  const es = 2;
  const at = (p: number): GeoPoint => a[p / es] as GeoPoint;
  const c = (p: number, q: number): number => cmp(at(p), at(q));
  const swap = (p: number, q: number): void => {
    const t = a[p / es] as GeoPoint;
    a[p / es] = a[q / es] as GeoPoint;
    a[q / es] = t;
  };
  const vecswap = (p: number, q: number, n: number): void => {
    for (let i = 0; i < n; i += es) swap(p + i, q + i);
  };
  const med3 = (x: number, y: number, z: number): number =>
    c(x, y) < 0 ? (c(y, z) < 0 ? y : c(x, z) < 0 ? z : x) : c(y, z) > 0 ? y : c(x, z) < 0 ? x : z;
  const lo = lrange * es;
  const hi = (rrange + 1) * es - 1;

  const sort = (start: number, count: number): void => {
    let base = start;
    let n = count;
    for (;;) {
      if (n < 7) {
        for (let pm = base + es; pm < base + n * es; pm += es) {
          for (let pl = pm; pl > base && c(pl - es, pl) > 0; pl -= es) swap(pl, pl - es);
        }
        return;
      }
      let pm = base + Math.floor(n / 2) * es;
      if (n > 7) {
        let pl = base;
        let pn = base + (n - 1) * es;
        if (n > 40) {
          const d = Math.floor(n / 8) * es;
          pl = med3(pl, pl + d, pl + 2 * d);
          pm = med3(pm - d, pm, pm + d);
          pn = med3(pn - 2 * d, pn - d, pn);
        }
        pm = med3(pl, pm, pn);
      }
      swap(base, pm);
      let pa = base + es;
      let pb = pa;
      let pc = base + (n - 1) * es;
      let pd = pc;
      for (;;) {
        let r: number;
        while (pb <= pc && (r = c(pb, base)) <= 0) {
          if (r === 0) {
            swap(pa, pb);
            pa += es;
          }
          pb += es;
        }
        while (pb <= pc && (r = c(pc, base)) >= 0) {
          if (r === 0) {
            swap(pc, pd);
            pd -= es;
          }
          pc -= es;
        }
        if (pb > pc) break;
        swap(pb, pc);
        pb += es;
        pc -= es;
      }
      const pn = base + n * es;
      let r = Math.min(pa - base, pb - pa);
      vecswap(base, pb - r, r);
      r = Math.min(pd - pc, pn - pd - es);
      vecswap(pb, pn - r, r);
      const outside = (l: number, rr: number): boolean => (lo < l && hi < l) || (lo > rr && hi > rr);
      if ((r = pb - pa) > es && !outside(base, base + r - 1)) sort(base, r / es);
      if ((r = pd - pc) > es) {
        // Iterate rather than recurse.
        base = pn - r;
        n = r / es;
        if (!outside(base, base + r - 1)) continue;
      }
      return;
    }
  };
  sort(0, a.length);
}

/** What georadiusGeneric is called as. */
interface SearchKind {
  /** GEORADIUS*: the centre is given as coordinates. */
  readonly coords?: boolean;
  /** GEORADIUSBYMEMBER*: the centre is a member. */
  readonly member?: boolean;
  /** The _RO variants: no STORE/STOREDIST. */
  readonly noStore?: boolean;
  /** GEOSEARCH and GEOSEARCHSTORE: FROM… and BY… options. */
  readonly search?: boolean;
  readonly searchStore?: boolean;
}

type Sort = 'none' | 'asc' | 'desc';

/**
 * GEORADIUS key longitude latitude radius unit [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC | DESC] [STORE key] [STOREDIST key]
 * GEORADIUSBYMEMBER key member radius unit [options as GEORADIUS]
 * GEOSEARCH key FROMMEMBER member | FROMLONLAT longitude latitude BYRADIUS radius unit | BYBOX width height unit [ASC | DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
 * GEOSEARCHSTORE destination source FROM… BY… [ASC | DESC] [COUNT count [ANY]] [STOREDIST]
 */
function georadiusGeneric(c: Client, argv: readonly string[], srcKeyIndex: number, kind: SearchKind): Reply {
  const z = c.db.readAs(argv[srcKeyIndex] as string, ZSetValue);
  let storeKey: string | undefined;
  let storeDist = false;

  // The centre and shape, as far as the command's fixed arguments give them.
  let xy: [number, number] = [0, 0];
  let radius: { radius: number; conversion: number } | undefined;
  let box: { width: number; height: number; conversion: number } | undefined;
  let baseArgs: number;
  if (kind.coords) {
    baseArgs = 6;
    xy = parseLongLat(argv[2] as string, argv[3] as string);
    radius = parseDistance(argv[4] as string, argv[5] as string);
  } else if (kind.member && !z) {
    // No source key: the options are still parsed, to know which empty reply to give.
    baseArgs = 5;
  } else if (kind.member) {
    baseArgs = 5;
    xy = memberPosition(z as ZSetValue, argv[2] as string);
    radius = parseDistance(argv[3] as string, argv[4] as string);
  } else {
    baseArgs = 2;
    if (kind.searchStore) {
      baseArgs = 3;
      storeKey = argv[1] as string;
    }
  }

  let withDist = false, withHash = false, withCoords = false;
  let fromMember = false, fromLoc = false, byRadius = false, byBox = false;
  let sort: Sort = 'none';
  let any = false;
  let count = 0;
  const remaining = argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[baseArgs + i] as string;
    const next = (k: number): string => argv[baseArgs + i + k] as string;
    if (is(arg, 'WITHDIST')) withDist = true;
    else if (is(arg, 'WITHHASH')) withHash = true;
    else if (is(arg, 'WITHCOORD')) withCoords = true;
    else if (is(arg, 'ANY')) any = true;
    else if (is(arg, 'ASC')) sort = 'asc';
    else if (is(arg, 'DESC')) sort = 'desc';
    else if (is(arg, 'COUNT') && i + 1 < remaining) {
      count = parseInteger(next(1));
      if (count <= 0) throw new RedisError(GEO_COUNT_NOT_POSITIVE);
      i++;
    } else if ((is(arg, 'STORE') || is(arg, 'STOREDIST')) && i + 1 < remaining && !kind.noStore && !kind.search) {
      storeKey = next(1);
      storeDist = is(arg, 'STOREDIST');
      i++;
    } else if (is(arg, 'STOREDIST') && kind.search && kind.searchStore) {
      storeDist = true;
    } else if (is(arg, 'FROMMEMBER') && i + 1 < remaining && kind.search && !fromLoc) {
      // Without a source key the member cannot be looked up; the error waits for the end.
      if (z) xy = memberPosition(z, next(1));
      fromMember = true;
      i++;
    } else if (is(arg, 'FROMLONLAT') && i + 2 < remaining && kind.search && !fromMember) {
      xy = parseLongLat(next(1), next(2));
      fromLoc = true;
      i += 2;
    } else if (is(arg, 'BYRADIUS') && i + 2 < remaining && kind.search && !byBox) {
      radius = parseDistance(next(1), next(2));
      byRadius = true;
      i += 2;
    } else if (is(arg, 'BYBOX') && i + 3 < remaining && kind.search && !byRadius) {
      box = parseBox(next(1), next(2), next(3));
      byBox = true;
      i += 3;
    } else {
      throw new RedisError(SYNTAX);
    }
  }

  if (storeKey !== undefined && (withDist || withHash || withCoords)) {
    throw new RedisError(geoStoreNotCompatible(kind.searchStore ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'));
  }
  if (kind.search && !(fromMember || fromLoc)) throw new RedisError(geoExactlyOneCenter(argv[0] as string));
  if (kind.search && !(byRadius || byBox)) throw new RedisError(geoExactlyOneShape(argv[0] as string));
  if (any && !count) throw new RedisError(GEO_ANY_NEEDS_COUNT);

  if (!z) {
    if (storeKey === undefined) return EMPTY_ARRAY;
    if (c.db.delete(storeKey)) {
      c.db.signalModifiedKey(storeKey);
      c.engine.dirty++;
    }
    return ZERO;
  }

  // COUNT without an order means the closest ones (but ANY takes the first found).
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';

  const shape: GeoShape = box
    ? { type: 'box', xy, conversion: box.conversion, width: box.width, height: box.height }
    : { type: 'radius', xy, conversion: (radius as { conversion: number }).conversion, radius: (radius as { radius: number }).radius };
  const found = membersOfAllNeighbors(z, calculateAreasByShape(shape), shape, any ? count : 0);
  if (found.length === 0 && storeKey === undefined) return EMPTY_ARRAY;

  const returned = count === 0 || found.length < count ? found.length : count;
  if (sort !== 'none') {
    const cmp: Compare = sort === 'asc' ? byDistance : (a, b) => -byDistance(a, b);
    // qsort (glibc's is a stable merge sort) for all, pqsort for the first `returned`.
    if (returned === found.length) found.sort(cmp);
    else pqsort(found, cmp, 0, returned - 1);
  }
  const results = found.slice(0, returned);
  for (const p of results) p.dist /= shape.conversion;

  if (storeKey === undefined) return searchReply(results, withDist, withHash, withCoords);
  return storeResults(c, storeKey, results, storeDist);
}

/** Members alone, or [member, dist?, hash?, [long, lat]?] for each. */
function searchReply(points: readonly GeoPoint[], withDist: boolean, withHash: boolean, withCoords: boolean): Reply {
  if (!withDist && !withHash && !withCoords) return bulkArray(points.map((p) => p.member));
  return array(points.map((p) => {
    const item: Reply[] = [bulk(p.member)];
    if (withDist) item.push(distanceReply(p.dist));
    if (withHash) item.push(hashReply(p.score));
    if (withCoords) item.push(array([humanDouble(p.longitude), humanDouble(p.latitude)]));
    return array(item);
  }));
}

/** STORE / STOREDIST / GEOSEARCHSTORE: the points as a sorted set (by geohash or by distance). */
function storeResults(c: Client, storeKey: string, points: readonly GeoPoint[], storeDist: boolean): Reply {
  if (points.length === 0) {
    if (c.db.delete(storeKey)) {
      c.db.signalModifiedKey(storeKey);
      c.engine.dirty++;
    }
    return ZERO;
  }
  const value = ZSetValue.fromEntries(points.map((p) => ({ member: p.member, score: storeDist ? p.dist : p.score })));
  c.db.lookupWrite(storeKey);
  c.db.setKey(storeKey, value);
  c.engine.dirty += points.length;
  return integer(points.length);
}

export const commands: Handlers = {
  geoadd,
  geopos,
  geodist,
  geohash,
  georadius: (c, argv) => georadiusGeneric(c, argv, 1, { coords: true }),
  georadiusbymember: (c, argv) => georadiusGeneric(c, argv, 1, { member: true }),
  georadius_ro: (c, argv) => georadiusGeneric(c, argv, 1, { coords: true, noStore: true }),
  georadiusbymember_ro: (c, argv) => georadiusGeneric(c, argv, 1, { member: true, noStore: true }),
  geosearch: (c, argv) => georadiusGeneric(c, argv, 1, { search: true }),
  geosearchstore: (c, argv) => georadiusGeneric(c, argv, 2, { search: true, searchStore: true }),
};
