/**
 * The live keyspace: every key of the lesson's database with its type, size and TTL (counting
 * down between reads), and a glimpse of its contents, so that EXPIRE, RPOP and XADD visibly
 * change the data.
 */
import { memo, useMemo } from 'react';
import type { KeyInfo } from '../state/types.js';
import { blank, type Color, type Line, type Span, span, truncate } from '../text/line.js';
import { Lines } from './Lines.js';

const TYPE_COLOR: Record<string, Color> = { string: 'green', list: 'blue', hash: 'magenta', set: 'cyan', zset: 'yellow', stream: 'red' };

const UNIT: Record<string, [string, string]> = {
  string: ['byte', 'bytes'], list: ['item', 'items'], hash: ['field', 'fields'], set: ['member', 'members'],
  zset: ['member', 'members'], stream: ['entry', 'entries'],
};

export function sizeText(k: KeyInfo): string | undefined {
  if (k.size === undefined) return undefined;
  const [one, many] = UNIT[k.type] ?? ['', ''];
  return `${k.size.toLocaleString('en-US')}${one ? ' ' + (k.size === 1 ? one : many) : ''}`;
}

/** A TTL as a person reads it: 42s, 3m 05s, 2h 10m; under a second, <1s. */
export function ttlText(ms: number): string {
  if (ms < 1000) return '<1s';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

export interface PanelProps {
  readonly keyspace: readonly KeyInfo[];
  /** When the keyspace was read: TTLs count down from there. */
  readonly readAt: number;
  /** The time; constant while no TTL counts down. */
  readonly now: number;
  /** The learner's SELECTed database (the panel shows the lesson's). */
  readonly db: number;
  readonly width: number;
  readonly height: number;
}

export function panelLines({ keyspace, readAt, now, db }: Omit<PanelProps, 'width' | 'height'>, width: number): Line[] {
  const inner = width - 2;
  const out: Line[] = [[span(' Keyspace', { bold: true }), span(db === 0 ? '' : ' (of the lesson database)', { dim: true })]];
  if (keyspace.length === 0) {
    out.push(blank, [span(' (no keys yet)', { dim: true })]);
    return out;
  }
  const elapsed = now - readAt;
  for (const k of keyspace) {
    out.push(blank);
    out.push(truncate([span(' '), span(k.key, { bold: true })], width));
    const details: Span[] = [span('   '), span(k.type, { color: TYPE_COLOR[k.type] ?? 'white' })];
    const size = sizeText(k);
    if (size) details.push(span(` · ${size}`, { dim: true }));
    if (k.ttlMs !== undefined) {
      const left = Math.max(0, k.ttlMs - elapsed);
      details.push(span(' · ', { dim: true }), span(`ttl ${ttlText(left)}`, left < 10_000 ? { color: 'yellow', bold: true } : { color: 'yellow' }));
    }
    out.push(truncate(details, width));
    if (k.preview) out.push(truncate([span('   '), span(k.preview, { dim: true })], inner + 2));
  }
  return out;
}

export const KeyspacePanel = memo(function KeyspacePanel(props: PanelProps) {
  const { keyspace, readAt, now, db, width, height } = props;
  const bordered = useMemo(() => {
    const lines = panelLines({ keyspace, readAt, now, db }, width - 1);
    // More keys than rows: the last row says how many are out of sight.
    const shown = lines.length > height ? [...lines.slice(0, height - 1), [span(` … ${lines.length - height + 1} more rows`, { dim: true })]] : lines;
    return Array.from({ length: height }, (_, i): Line => [span('│', { dim: true }), ...(shown[i] ?? [])]);
  }, [keyspace, readAt, now, db, width, height]);
  return <Lines lines={bordered} width={width} height={height} />;
});
