/** Small statistics over trial values. */

/** Returns the median of a non-empty list. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Returns the p-th percentile (0 to 100) of a non-empty list, interpolating between ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (rank - low);
}
