// The layout rules of src/, checked on its import graph. Every .ts file under src/ is read and its
// module specifiers extracted: static `import … from '…'` and `import '…'`, `export … from '…'`, and
// `import('…')` (including `typeof import('…')` in types). Type-only imports count like any other: a
// cycle through types is still a cycle for whoever reads or moves the code. Relative `.js` specifiers
// resolve to the `.ts` file beside them.
//
// A file's folder is its first path segment under src/ (src/output/report/html.ts is in `output`);
// files directly in src/ (src/index.ts) form the root, which is left out of the folder rules.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(process.cwd(), 'src');

/** Folders whose code is pure computation: no Node builtin at all. */
const PURE_FOLDERS = [
  'formats',
  'findings',
  'arch',
  'serving',
  'quality',
  'training',
  'metrics',
  'grid',
  'evaluate',
  'csv',
  'checkpoint',
  'browser',
];
/** The only folders that may touch the file system. */
const FS_FOLDERS = ['catalog', 'spec', 'output', 'pool', 'cli', 'hub'];
const FS_MODULES = new Set(['node:fs', 'node:fs/promises', 'fs', 'fs/promises']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));

interface Edge {
  from: string; // src-relative path, e.g. 'cli/bin.ts'
  specifier: string;
  /** The src-relative .ts file a relative specifier resolves to. */
  to?: string;
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** The source with comments replaced by spaces; string and template literals are kept as they are. */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The module specifiers a file imports or re-exports from. */
function specifiersOf(text: string): string[] {
  const code = stripComments(text);
  const found: string[] = [];
  // `import x from '…'`, `import type { … } from '…'`, `export * from '…'`, `export { … } from '…'`
  // (clauses may span lines), and side-effect imports `import '…'`: at the start of a statement.
  const staticRe = /(?:^|[;}\n])\s*(?:import|export)\s+(?:[^'";]*?\bfrom\s*)?['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(staticRe)) found.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

function readGraph(): { files: string[]; edges: Edge[] } {
  const files = listTs(SRC);
  const known = new Set(files);
  const edges: Edge[] = [];
  for (const from of files) {
    for (const specifier of new Set(specifiersOf(readFileSync(join(SRC, from), 'utf8')))) {
      const edge: Edge = { from, specifier };
      if (specifier.startsWith('.')) {
        const target = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');
        if (known.has(target)) edge.to = target;
      }
      edges.push(edge);
    }
  }
  return { files, edges };
}

const folderOf = (file: string): string | undefined => (file.includes('/') ? file.split('/')[0] : undefined);
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || BUILTINS.has(specifier);
const show = (e: Edge) => `src/${e.from} -> ${e.to ? `src/${e.to}` : `'${e.specifier}'`}`;

/** The strongly connected components with a cycle (more than one node, or a node importing itself). */
function cyclicComponents(nodes: string[], next: (n: string) => string[]): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || next(v).includes(v)) out.push(comp.sort());
    }
  };
  for (const n of [...nodes].sort()) if (!idx.has(n)) visit(n);
  return out;
}

/** One cycle through the first node of a component, as a path that ends where it starts. */
function cycleIn(comp: string[], next: (n: string) => string[]): string[] {
  const inComp = new Set(comp);
  const start = comp[0]!;
  const parent = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (const w of next(v)
      .filter((x) => inComp.has(x))
      .sort()) {
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w) && w !== start) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [];
}

const { files, edges } = readGraph();
const internal = edges.filter((e) => e.to !== undefined);
const fileNext = (() => {
  const m = new Map<string, string[]>();
  for (const e of internal) m.set(e.from, [...(m.get(e.from) ?? []), e.to!]);
  return (n: string) => m.get(n) ?? [];
})();

describe('import graph of src/', () => {
  it('is seen by the parser: > 50 files, every relative import resolves, bin.ts reaches metrics/', () => {
    expect(files.length).toBeGreaterThan(50);
    const unresolved = edges.filter((e) => e.specifier.startsWith('.') && e.to === undefined).map(show);
    expect(unresolved, 'relative imports that resolve to no src/ .ts file').toEqual([]);
    const reached = new Set<string>(['cli/bin.ts']);
    for (const f of reached) for (const t of fileNext(f)) reached.add(t);
    expect([...reached].filter((f) => f.startsWith('metrics/')).length).toBeGreaterThan(0);
    expect([...reached].filter((f) => f.startsWith('evaluate/')).length).toBeGreaterThan(0);
    expect(internal.length).toBeGreaterThan(files.length);
    // The parser's own cases: multi-line clauses, type-only imports, re-exports, dynamic imports.
    expect(
      specifiersOf(
        "import type {\n  A,\n  B,\n} from './a.js';\nexport * from './b.js';\n// import x from './c.js'\n" +
          "export { c } from './d.js';\nconst m = await import('./e.js');\nimport './f.js';\nlet t: typeof import('g');",
      ),
    ).toEqual(['./a.js', './b.js', './d.js', './f.js', './e.js', 'g']);
  });

  it(`${PURE_FOLDERS.map((f) => `src/${f}/`).join(', ')} import no Node builtin`, () => {
    const bad = edges.filter((e) => PURE_FOLDERS.includes(folderOf(e.from) ?? '') && isBuiltin(e.specifier)).map(show);
    expect(bad, 'pure folders importing Node builtins').toEqual([]);
  });

  it('has no import cycle between files (type-only imports included)', () => {
    const cycles = cyclicComponents(files, fileNext).map(
      (comp) =>
        `${comp.length} files, e.g. ${cycleIn(comp, fileNext)
          .map((f) => `src/${f}`)
          .join(' -> ')}`,
    );
    expect(cycles, 'import cycles between files').toEqual([]);
  });

  it('has no import cycle between folders (files directly in src/ excluded)', () => {
    const folderEdges = new Map<string, Edge[]>(); // 'a -> b' => the file edges behind it
    for (const e of internal) {
      const [a, b] = [folderOf(e.from), folderOf(e.to!)];
      if (a === undefined || b === undefined || a === b) continue;
      folderEdges.set(`${a} -> ${b}`, [...(folderEdges.get(`${a} -> ${b}`) ?? []), e]);
    }
    const next = (f: string) =>
      [...folderEdges.keys()].filter((k) => k.startsWith(`${f} -> `)).map((k) => k.slice(f.length + 4));
    const folders = [...new Set(files.map(folderOf).filter((f): f is string => f !== undefined))];
    const cycles = cyclicComponents(folders, next).map((comp) => {
      const path = cycleIn(comp, next);
      const steps = path.slice(1).map((b, i) => {
        const via = folderEdges.get(`${path[i]} -> ${b}`)!;
        return `${path[i]} -> ${b} (${via.map(show).join('; ')})`;
      });
      const inside = [...folderEdges.keys()].filter(
        (k) => comp.includes(k.split(' -> ')[0]!) && comp.includes(k.split(' -> ')[1]!),
      );
      return `folders ${comp.join(', ')} (edges among them: ${inside.join(', ')}), e.g. ${steps.join(' | ')}`;
    });
    expect(cycles, 'import cycles between folders').toEqual([]);
  });

  it(`only ${FS_FOLDERS.map((f) => `src/${f}/`).join(', ')} import node:fs`, () => {
    const bad = edges
      .filter((e) => FS_MODULES.has(e.specifier) && !FS_FOLDERS.includes(folderOf(e.from) ?? ''))
      .map(show);
    expect(bad, 'files outside the file-system folders importing fs').toEqual([]);
  });
});
