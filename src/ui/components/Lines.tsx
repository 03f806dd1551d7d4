/** Paints laid-out lines: one Ink Text per line, each span with its style, never wrapped by Ink. */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Line, Span } from '../text/line.js';

function SpanText({ span }: { readonly span: Span }) {
  return (
    <Text color={span.color} bold={span.bold} dimColor={span.dim} italic={span.italic} underline={span.underline} inverse={span.inverse}>
      {span.text}
    </Text>
  );
}

/** Laid-out lines are cached and shared, so an unchanged line is the same object: not drawn again. */
export const LineText = memo(function LineText({ line }: { readonly line: Line }) {
  // An empty Text still takes its row.
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => <SpanText key={i} span={s} />)}
    </Text>
  );
});

/** `lines`, exactly `height` rows (padded with empty ones, or cut), `width` columns. */
export function Lines({ lines, width, height }: { readonly lines: readonly Line[]; readonly width: number; readonly height: number }) {
  const rows = lines.slice(0, height);
  while (rows.length < height) rows.push([]);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      {rows.map((l, i) => <LineText key={i} line={l} />)}
    </Box>
  );
}
