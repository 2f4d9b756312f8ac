/** Slices of about equal size, a few per worker so a slow worker does not hold up the end. */
export function chunkRanges(
  size: number,
  workers: number,
  maxChunk = 1 << 20,
  minChunk = 4096,
  offset = 0,
): [number, number][] {
  const target = Math.min(maxChunk, Math.max(minChunk, Math.ceil(size / (workers * 8))));
  const out: [number, number][] = [];
  for (let s = 0; s < size; s += target) out.push([offset + s, offset + Math.min(size, s + target)]);
  return out;
}

/**
 * Runs `task` over `items` with at most `limit` in flight, handing results to `consume` in order.
 * Items are pulled lazily, so a generator can describe more work than fits in memory at once.
 */
export async function inOrder<T, R>(
  items: Iterable<T>,
  limit: number,
  task: (item: T) => Promise<R>,
  consume: (r: R, item: T) => void | Promise<void>,
): Promise<void> {
  const source = items[Symbol.iterator]();
  const pending: { item: T; result: Promise<R> }[] = [];
  const launch = () => {
    while (pending.length < limit) {
      const next = source.next();
      if (next.done) return;
      pending.push({ item: next.value, result: task(next.value) });
    }
  };
  launch();
  try {
    while (pending.length > 0) {
      const { item, result } = pending.shift()!;
      const r = await result;
      launch();
      await consume(r, item);
    }
  } catch (err) {
    // The tasks still in flight fail too (an abort cancels them all); their errors are this one.
    for (const p of pending) p.result.catch(() => undefined);
    throw err;
  }
}
