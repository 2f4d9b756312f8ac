// Where a path of the spec sits in its YAML text, for errors that name the line and column. Its own
// module so that the normalisation steps, which report through it, need not import the loader.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { SpecError, describeValue, type PathSegment } from '../findings/errors.js';

/** Finds the line and column of a path in the YAML document, falling back to the nearest ancestor. */
export class Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  position(path: readonly PathSegment[], preferKey: boolean): { line: number; col: number } {
    let node: unknown = this.doc.contents;
    let offset = (node as Node | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (!pair) break;
        const last = i === path.length - 1;
        const keyRange = (pair.key as Node | null)?.range;
        const valueRange = (pair.value as Node | null)?.range;
        offset = (last && preferKey ? keyRange?.[0] : (valueRange?.[0] ?? keyRange?.[0])) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else break;
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  error(path: readonly PathSegment[], detail: string, opts: { atKey?: boolean } = {}): SpecError {
    const { line, col } = this.position(path, opts.atKey ?? false);
    return new SpecError(this.file, line, col, path, detail);
  }

  /** "expected …, got …" with the value found in the data at that path. */
  expected(path: readonly PathSegment[], expected: string, value: unknown): SpecError {
    return this.error(path, `${expected}, got ${describeValue(value)}`);
  }
}
