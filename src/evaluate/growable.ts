// A Float64Array that grows by doubling: candidate indices and objectives, pushed in the hot loops.
export class Growable {
  data = new Float64Array(1024);
  length = 0;
  push(x: number): void {
    this.reserve(1);
    this.data[this.length++] = x;
  }
  /** Room for n more, so a loop can write at `length` unchecked. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const next = new Float64Array(Math.max(this.length + n, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
