/**
 * mulberry32: a 32-bit-state generator by Tommy Ettinger (public domain), returning floats in
 * [0, 1) with 32 bits of resolution. Seeded, so every simulated figure is a deterministic function of
 * its seed; good enough for Monte-Carlo estimates of this size; not cryptographic.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
