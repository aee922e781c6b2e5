// Fewer points for charts of long runs. The core keeps up to ~2000 samples per variant; a chart is a few
// hundred pixels wide, and a 1 TiB run's report must stay small. Averaging would hide exactly what matters
// (a throughput dip, a CPU spike, the last dirty pages), so each bucket keeps its minimum and its maximum.

export interface Point {
  x: number;
  y: number;
}

/**
 * At most `maxPoints` of `points` (which are in x order): the first and the last, and between them the
 * lowest and highest point of each of equal-sized index buckets, in their original order.
 */
export function downsampleMinMax(points: readonly Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints) return points.slice();
  if (maxPoints < 4) throw new RangeError("downsampleMinMax: maxPoints must be at least 4");
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const inner = points.length - 2;
  const buckets = Math.floor((maxPoints - 2) / 2);
  const out: Point[] = [first];
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (from >= to) continue;
    let lo = from;
    let hi = from;
    for (let i = from + 1; i < to; i++) {
      const y = points[i]!.y;
      if (y < points[lo]!.y) lo = i;
      if (y > points[hi]!.y) hi = i;
    }
    if (lo === hi) out.push(points[lo]!);
    else out.push(points[Math.min(lo, hi)]!, points[Math.max(lo, hi)]!);
  }
  out.push(last);
  return out;
}
