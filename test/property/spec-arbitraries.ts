// fast-check arbitraries for sweep specs: mutations of valid seed specs (structural edits of the YAML
// document, then edits of its text and bytes), arbitrary YAML documents, and randomly assembled
// spec-shaped documents. Every case is a plain description of edits, applied deterministically, so
// fast-check can shrink a failure to a short list of small edits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  stringify,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node,
  type ToStringOptions,
} from 'yaml';

// ---------------------------------------------------------------------------------------------------
// Seeds: the example sweeps and the spec fixtures, valid or not.

export interface Seed {
  file: string;
  text: string;
}

export function loadSeeds(root: string): Seed[] {
  const seeds: Seed[] = [];
  for (const dir of ['sweeps', 'test/fixtures/specs']) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (f.endsWith('.yaml')) seeds.push({ file: `${dir}/${f}`, text: readFileSync(join(root, dir, f), 'utf8') });
    }
  }
  return seeds;
}

// ---------------------------------------------------------------------------------------------------
// Building blocks

const SPEC_KEYS = [
  'version',
  'name',
  'description',
  'grid',
  'dtype',
  'constraints',
  'objectives',
  'designs',
  'compare',
  'experts',
  'top_k',
  'expert_params',
  'shared_params',
  'from',
  'to',
  'step',
  'times',
  'total_params',
  'active_params',
  'active_ratio',
  'expert_sparsity',
  'compute_saving',
  'flops_per_token',
  'weight_bytes',
  'vram_bytes',
  'vram',
  'budget',
  'overhead',
  'min',
  'max',
  'preset',
];

/** Keys for renames and additions: real ones (in the wrong place, too), typos, and hostile strings. */
export const keyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SPEC_KEYS), weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'constrains',
      'experts_',
      'topk',
      'top-k',
      'Top_K',
      'NAME',
      'grids',
      'desings',
      'objective',
      'comparre',
      'shared',
      'budjet',
      '',
      ' ',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '0',
      '-1',
      '1e3',
      'null',
      'true',
      '<<',
      '?',
      '-',
      '#',
      ':',
      'a: b',
      'a\nb',
      'a\rb',
      'key\u2028sep',
      'é',
      '\u202Ename',
      '😀',
      '\t',
      'x'.repeat(300),
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
);

/** Numbers at and past every edge. */
export const specialNumberArb: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    1,
    2,
    -1e9,
    0.5,
    1.5,
    0.1,
    1e-7,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
    1e308,
    Number.MAX_VALUE,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 31,
    2 ** 32 + 1,
    1e21,
    1e15,
    123456789.123,
    8,
    64,
    1e9,
    4.1e9,
    -2.5,
  ),
  fc.integer({ min: -10, max: 1000 }),
  fc.double(),
);

const NUMBER_TEXTS = [
  '0',
  '1',
  '2',
  '8',
  '0.1',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1E-3',
  '1e400',
  '-1',
  '+1',
  '0x10',
  '0o7',
  '1_000',
  '1,000',
  '١٢',
  '∞',
  ' 2 ',
  '4.1',
  '00',
  '1e',
  'e3',
  '',
  'NaN',
  'Infinity',
  '-0',
];
const SUFFIXES = [
  '',
  'K',
  'M',
  'B',
  'T',
  'k',
  'm',
  'b',
  't',
  'KB',
  'MB',
  'GB',
  'TB',
  'KiB',
  'MiB',
  'GiB',
  'TiB',
  'kib',
  'gb',
  'iB',
  'Q',
  'X',
  'BB',
  'B B',
  ' B',
  '\tB',
  'B\n',
  'µ',
  '％',
  'ｂ',
  'e9',
  'bytes',
  '%',
];

/** A number written with a random unit suffix, valid or not. */
export const unitStringArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom(...NUMBER_TEXTS), fc.double({ noNaN: true }).map(String)),
    fc.constantFrom(...SUFFIXES),
  )
  .map(([n, s]) => `${n}${s}`);

const PRESET_IDS = [
  'mixtral-8x7b',
  'mixtral-8x22b',
  'deepseek-v3',
  'deepseek-v4-pro',
  'qwen3-235b-a22b',
  'qwen3-30b-a3b',
  'grok-1',
  'kimi-k2',
  'gpt-oss-120b',
  'glm-5',
  'minimax-m2.5',
];
const METRICS = [
  'total_params',
  'active_params',
  'active_ratio',
  'expert_sparsity',
  'compute_saving',
  'flops_per_token',
  'weight_bytes',
  'vram_bytes',
];

/** Strings that mean something somewhere in a spec, plus hostile ones. */
export const meaningfulStringArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...PRESET_IDS, 'mixtral', 'Mixtral-8x7B', 'nope', ''),
  fc.constantFrom('bf16', 'fp8', 'int4', 'fp32', 'fp16', 'int8', 'BF16', 'fp4', 'float'),
  fc
    .tuple(fc.constantFrom('min', 'max', 'minimize', 'MIN', ''), fc.constantFrom(...METRICS, 'vram', 'params', ''))
    .map(([s, m]) => `${s} ${m}`),
  fc.constantFrom(
    '=1+1',
    '@SUM(1)',
    '+cmd',
    '-2+3',
    '</script><script>x</script>',
    '"quoted"',
    "it's",
    'a,b',
    'line\nbreak',
    '\u200F',
    '\u0000',
    '\uFFFE',
    'ok-name',
    '..',
    '../x',
    '.hidden',
    'a/b',
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Small axis values: whole numbers, counts, lists and ranges, valid or not. */
const smallAxisArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2, max: 64 }),
  fc.array(fc.integer({ min: 0, max: 64 }), { maxLength: 5 }),
  fc.array(unitStringArb, { maxLength: 4 }),
  fc.record(
    {
      from: fc.integer({ min: -2, max: 16 }),
      to: fc.integer({ min: -2, max: 64 }),
      step: fc.integer({ min: -1, max: 8 }),
    },
    { requiredKeys: ['from', 'to'] },
  ),
  fc.record({
    from: fc.integer({ min: 0, max: 16 }),
    to: fc.integer({ min: 0, max: 256 }),
    times: fc.oneof(fc.constantFrom(0, 1, 1.0000001, 1.5, 2, 3, -2, NaN, Infinity), fc.double()),
  }),
  fc.record({ from: unitStringArb, to: unitStringArb, step: unitStringArb }, { requiredKeys: ['from', 'to'] }),
);

/** A value of any type, to replace whatever is at some place in the document. */
export const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: specialNumberArb, weight: 4 },
  { arbitrary: unitStringArb, weight: 4 },
  { arbitrary: meaningfulStringArb, weight: 3 },
  { arbitrary: smallAxisArb, weight: 3 },
  {
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      [],
      {},
      '',
      '2024-01-01',
      '~',
      'yes',
      '.inf',
      '.nan',
      new Date(0),
    ),
    weight: 2,
  },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------------
// Structural edits of the YAML document

export type DocOp =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'rename'; at: number; key: string }
  | { op: 'rekeyNonString'; at: number; key: unknown }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'add'; at: number; key: string; value: unknown }
  | { op: 'listToRange'; at: number; kind: 'step' | 'times' | 'none'; factor: unknown }
  | { op: 'swapFromTo'; at: number }
  | { op: 'alias'; from: number; to: number }
  | { op: 'bomb'; at: number; key: string; depth: number; width: number }
  | { op: 'style'; at: number; flow: boolean };

const at = fc.nat({ max: 10_000 });

export const docOpArb: fc.Arbitrary<DocOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('duplicate' as const), at }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('rename' as const), at, key: keyArb }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('rekeyNonString' as const),
      at,
      key: fc.constantFrom<unknown>(1, 0, true, null, 1.5, [1], { a: 1 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('set' as const), at, value: valueArb }), weight: 8 },
  { arbitrary: fc.record({ op: fc.constant('add' as const), at, key: keyArb, value: valueArb }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('listToRange' as const),
      at,
      kind: fc.constantFrom('step' as const, 'times' as const, 'none' as const),
      factor: fc.oneof(specialNumberArb, unitStringArb),
    }),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('swapFromTo' as const), at }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('alias' as const), from: at, to: at }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('bomb' as const),
      at,
      key: fc.constantFrom('description', 'name', 'x', 'grid', 'designs'),
      depth: fc.integer({ min: 1, max: 9 }),
      width: fc.integer({ min: 1, max: 9 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('style' as const), at, flow: fc.boolean() }), weight: 1 },
);

interface Slot {
  get(): unknown;
  set(node: unknown): void;
}

/** Every place in the document that holds a value, every map entry, every collection. */
function inventory(doc: Document) {
  const slots: Slot[] = [];
  const pairs: { map: YAMLMap; index: number }[] = [];
  const maps: YAMLMap[] = [];
  const seqs: YAMLSeq[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (isMap(node)) {
      maps.push(node);
      node.items.forEach((pair, index) => {
        pairs.push({ map: node, index });
        slots.push({ get: () => pair.value, set: (n) => void (pair.value = n) });
        walk(pair.value);
      });
    } else if (isSeq(node)) {
      seqs.push(node);
      node.items.forEach((item, index) => {
        slots.push({ get: () => node.items[index], set: (n) => void (node.items[index] = n) });
        walk(item);
      });
    }
  };
  slots.push({ get: () => doc.contents, set: (n) => void (doc.contents = n as Node) });
  walk(doc.contents);
  return { slots, pairs, maps, seqs };
}

const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

export function applyDocOp(doc: Document, op: DocOp): void {
  const inv = inventory(doc);
  switch (op.op) {
    case 'delete': {
      const p = pick(inv.pairs, op.at);
      if (p) p.map.items.splice(p.index, 1);
      else {
        const s = pick(inv.seqs, op.at);
        if (s?.items.length) s.items.splice(op.at % s.items.length, 1);
      }
      return;
    }
    case 'duplicate': {
      const p = pick(inv.pairs, op.at);
      if (!p) return;
      const pair = p.map.items[p.index]!;
      const clone = new Pair(
        isScalar(pair.key) ? pair.key.clone() : pair.key,
        pair.value && typeof (pair.value as Node).clone === 'function' ? (pair.value as Node).clone() : pair.value,
      );
      p.map.items.splice(p.index + 1, 0, clone);
      return;
    }
    case 'rename':
    case 'rekeyNonString': {
      const p = pick(inv.pairs, op.at);
      if (p) p.map.items[p.index]!.key = doc.createNode(op.key);
      return;
    }
    case 'set': {
      const s = pick(inv.slots, op.at);
      s?.set(doc.createNode(op.value));
      return;
    }
    case 'add': {
      const m = pick(inv.maps, op.at);
      if (m) m.items.splice(op.at % (m.items.length + 1), 0, doc.createPair(op.key, op.value));
      return;
    }
    case 'listToRange': {
      // Prefer lists of scalars (the grid axes); fall back to any slot.
      const lists = inv.slots.filter((s) => isSeq(s.get()));
      const s = pick(lists.length ? lists : inv.slots, op.at);
      if (!s) return;
      const v = s.get();
      const items = isSeq(v) ? v.items.map(scalarValue) : [scalarValue(v)];
      const range: Record<string, unknown> = { from: items[0] ?? 1, to: items[items.length - 1] ?? 1 };
      if (op.kind === 'step') range.step = op.factor;
      if (op.kind === 'times') range.times = op.factor;
      s.set(doc.createNode(range, { flow: true }));
      return;
    }
    case 'swapFromTo': {
      const ranges = inv.maps.filter((m) => m.has('from') || m.has('to'));
      const m = pick(ranges, op.at);
      if (!m) return;
      const from = m.get('from', true);
      const to = m.get('to', true);
      m.set('from', to ?? null);
      m.set('to', from ?? null);
      return;
    }
    case 'alias': {
      // The target may be the source itself, inside it or around it: cycles and dangling aliases too.
      const src = pick(inv.slots, op.from)?.get();
      const dst = pick(inv.slots, op.to);
      if (!dst || src === null || src === undefined || isAlias(src) || typeof src !== 'object') return;
      const name = (src as Node).anchor ?? `a${op.from}`;
      (src as Node).anchor = name;
      dst.set(new Alias(name));
      return;
    }
    case 'bomb': {
      // The billion laughs: each level is a list of aliases to the level below.
      const m = pick(inv.maps, op.at) ?? (doc.contents as YAMLMap | null);
      if (!isMap(m)) return;
      const levels = new YAMLMap();
      levels.flow = false;
      let prev = 'lol0';
      const base = new YAMLSeq();
      base.flow = true;
      for (let i = 0; i < op.width; i++) base.items.push(doc.createNode('lol'));
      base.anchor = prev;
      levels.items.push(new Pair(doc.createNode('l0'), base));
      for (let d = 1; d <= op.depth; d++) {
        const seq = new YAMLSeq();
        seq.flow = true;
        for (let i = 0; i < op.width; i++) seq.items.push(new Alias(prev));
        prev = `lol${d}`;
        seq.anchor = prev;
        levels.items.push(new Pair(doc.createNode(`l${d}`), seq));
      }
      m.set(op.key, levels);
      return;
    }
    case 'style': {
      const all: (YAMLMap | YAMLSeq)[] = [...inv.maps, ...inv.seqs];
      const c = pick(all, op.at);
      if (c) c.flow = op.flow;
      return;
    }
  }
}

export interface RenderOptions {
  indent: number;
  indentSeq: boolean;
  lineWidth: number;
  defaultStringType: ToStringOptions['defaultStringType'];
  collectionStyle: ToStringOptions['collectionStyle'];
  flowCollectionPadding: boolean;
  doubleQuotedAsJSON: boolean;
}

export const renderOptionsArb: fc.Arbitrary<RenderOptions> = fc.record({
  indent: fc.integer({ min: 1, max: 8 }),
  indentSeq: fc.boolean(),
  lineWidth: fc.constantFrom(0, 20, 80),
  defaultStringType: fc.constantFrom(
    'PLAIN' as const,
    'QUOTE_DOUBLE' as const,
    'QUOTE_SINGLE' as const,
    'BLOCK_LITERAL' as const,
    'BLOCK_FOLDED' as const,
  ),
  collectionStyle: fc.constantFrom('any' as const, 'block' as const, 'flow' as const),
  flowCollectionPadding: fc.boolean(),
  doubleQuotedAsJSON: fc.boolean(),
});

// ---------------------------------------------------------------------------------------------------
// Text and byte edits

export type TextOp =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'insertBytes'; at: number; bytes: number[] }
  | { op: 'reindent'; line: number; delta: number; tab: boolean }
  | { op: 'reindentAll'; factor: number }
  | { op: 'deleteLine'; line: number }
  | { op: 'duplicateLine'; line: number }
  | { op: 'swapLines'; a: number; b: number }
  | { op: 'replaceChar'; at: number; text: string }
  | { op: 'crlf' }
  | { op: 'bom' };

const YAML_TOKENS = [
  ':',
  ': ',
  '- ',
  '-',
  '{',
  '}',
  '[',
  ']',
  ',',
  '&a ',
  '*a',
  '*',
  '&',
  '!!binary ',
  '!!str ',
  '!!int ',
  '!!float ',
  '!!map ',
  '!!python/object:os.system ',
  '!tag ',
  '%YAML 1.1\n',
  '%TAG ! tag:x,2000:\n',
  '---\n',
  '...\n',
  '\n---\n',
  '? ',
  '|',
  '|-\n',
  '>',
  '#',
  '"',
  "'",
  '\\',
  '\t',
  '\r\n',
  '\r',
  '\n',
  '\0',
  '\uFEFF',
  '\u202E',
  '\u200F',
  '\u2028',
  '😀',
  'é',
  '<<: ',
  '<<: *a\n',
  '.inf',
  '.nan',
  '~',
  'null',
  'yes',
  '0x1F',
  '1e400',
  '\u0085',
  '\uD800',
  '%',
  '@',
  '`',
];

export const textOpArb: fc.Arbitrary<TextOp> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at }), weight: 3 },
  {
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      at,
      text: fc.oneof(
        fc.constantFrom(...YAML_TOKENS),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.string({ unit: 'grapheme', maxLength: 8 }),
      ),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('insertBytes' as const),
      at,
      bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 4 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('reindent' as const),
      line: at,
      delta: fc.integer({ min: -4, max: 4 }),
      tab: fc.boolean(),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ op: fc.constant('reindentAll' as const), factor: fc.integer({ min: 0, max: 4 }) }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('deleteLine' as const), line: at }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('duplicateLine' as const), line: at }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: at, b: at }), weight: 1 },
  {
    arbitrary: fc.record({
      op: fc.constant('replaceChar' as const),
      at,
      text: fc.constantFrom(...YAML_TOKENS, '0', '9', 'B', 'x', ' '),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ op: 'crlf' as const }), weight: 1 },
  { arbitrary: fc.constant({ op: 'bom' as const }), weight: 1 },
);

export function applyTextOp(bytes: Buffer, op: TextOp): Buffer {
  return Buffer.from(applyTextOpRaw(bytes, op));
}

function applyTextOpRaw(bytes: Buffer, op: TextOp): Uint8Array {
  // Text edits work on the UTF-8 decoding (lossy only for bytes already made invalid by insertBytes).
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  const line = (i: number) => i % Math.max(1, lines.length);
  switch (op.op) {
    case 'truncate':
      return bytes.subarray(0, op.at % (bytes.length + 1));
    case 'insert': {
      const i = op.at % (text.length + 1);
      return Buffer.from(text.slice(0, i) + op.text + text.slice(i), 'utf8');
    }
    case 'insertBytes': {
      const i = op.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(op.bytes), bytes.subarray(i)]);
    }
    case 'reindent': {
      const i = line(op.line);
      const l = lines[i] ?? '';
      lines[i] =
        op.delta >= 0 ? (op.tab ? '\t' : ' ').repeat(op.delta) + l : l.replace(new RegExp(`^ {0,${-op.delta}}`), '');
      return Buffer.from(lines.join('\n'), 'utf8');
    }
    case 'reindentAll':
      return Buffer.from(
        lines.map((l) => l.replace(/^ +/, (s) => ' '.repeat(s.length * op.factor))).join('\n'),
        'utf8',
      );
    case 'deleteLine':
      lines.splice(line(op.line), 1);
      return Buffer.from(lines.join('\n'), 'utf8');
    case 'duplicateLine': {
      const i = line(op.line);
      lines.splice(i, 0, lines[i] ?? '');
      return Buffer.from(lines.join('\n'), 'utf8');
    }
    case 'swapLines': {
      const [a, b] = [line(op.a), line(op.b)];
      [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
      return Buffer.from(lines.join('\n'), 'utf8');
    }
    case 'replaceChar': {
      if (!text.length) return Buffer.from(op.text, 'utf8');
      const i = op.at % text.length;
      return Buffer.from(text.slice(0, i) + op.text + text.slice(i + 1), 'utf8');
    }
    case 'crlf':
      return Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8');
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  }
}

// ---------------------------------------------------------------------------------------------------
// Cases

export interface MutationCase {
  seed: number;
  docOps: DocOp[];
  render: RenderOptions | null; // null: keep the seed's own text when there is no structural edit
  textOps: TextOp[];
}

export const mutationCaseArb = (seedCount: number): fc.Arbitrary<MutationCase> =>
  fc
    .record({
      seed: fc.nat({ max: seedCount - 1 }),
      docOps: fc.array(docOpArb, { maxLength: 4 }),
      render: fc.option(renderOptionsArb, { nil: null, freq: 3 }),
      textOps: fc.array(textOpArb, { maxLength: 3 }),
    })
    .filter((c) => c.docOps.length + c.textOps.length > 0 || c.render !== null);

/** Applies a mutation case to its seed: structural edits, rendering, then text edits. */
export function buildMutation(seeds: Seed[], c: MutationCase): Buffer {
  const seedText = seeds[c.seed]!.text;
  let text = seedText;
  if (c.docOps.length || c.render) {
    const doc = parseDocument(seedText);
    for (const op of c.docOps) applyDocOp(doc, op);
    try {
      text = doc.toString(c.render ?? {});
    } catch {
      // Some edits make a document the library will not write (e.g. an alias to a vanished anchor).
      text = seedText;
    }
  }
  let bytes: Buffer = Buffer.from(text, 'utf8');
  for (const op of c.textOps) bytes = applyTextOp(bytes, op);
  return bytes;
}

/** Arbitrary YAML documents: random values rendered as YAML, token soup, and raw text. */
export const arbitraryYamlArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.dictionary(keyArb, valueArb, { maxKeys: 6 }),
        fc.dictionary(
          fc.constantFrom(...SPEC_KEYS),
          fc.oneof(valueArb, fc.dictionary(keyArb, valueArb, { maxKeys: 4 })),
          { maxKeys: 8 },
        ),
      ),
      renderOptionsArb,
    )
    .map(([v, o]) => {
      try {
        return Buffer.from(stringify(v, o), 'utf8');
      } catch {
        return Buffer.from(JSON.stringify(v) ?? '', 'utf8');
      }
    }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...YAML_TOKENS, ...SPEC_KEYS, ' ', '  ', '\n', '\n  ', '8', '2B', 'bf16'),
        fc.string({ maxLength: 4 }),
      ),
      { maxLength: 40 },
    )
    .map((t) => Buffer.from(t.join(''), 'utf8')),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s, 'utf8')),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
);

/** Mostly `good`, sometimes anything from `bad`. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>): fc.Arbitrary<T | U> =>
  fc.oneof(
    { arbitrary: good as fc.Arbitrary<T | U>, weight: 12 },
    { arbitrary: bad as fc.Arbitrary<T | U>, weight: 1 },
  );

const goodAxis = (values: unknown[]): fc.Arbitrary<unknown> => fc.constantFrom(...values);

/** Names a design may have: any non-empty string, hostile ones most of all. */
export const designNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '</script><script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(1)',
    '=1+1',
    '\t=1',
    ' =1',
    'a,b',
    'say "hi"',
    "it's",
    'two\nlines',
    'cr\rlf',
    '\u200Fright-to-left',
    '😀 emoji',
    '{{name}}',
    '{{{x}}}',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile name, not a template
    '${x}',
    '%s%n',
    '\\',
    '&amp;',
    'x'.repeat(200),
    ' ',
    '.',
    '\u0000nul',
  ),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }),
);

const bound = (min: fc.Arbitrary<unknown>, max: fc.Arbitrary<unknown>) =>
  fc.record({ min, max }, { requiredKeys: [] }).filter((b) => Object.keys(b).length > 0);
const countBoundArb = bound(
  fc.constantFrom<unknown>(0, 1, '1B', '10B'),
  fc.constantFrom<unknown>('100B', '1T', 1e30, 1e300, '1e300'),
);
const ratioBoundArb = bound(fc.constantFrom<unknown>(0, 0.01, 0.5), fc.constantFrom<unknown>(1, 0.9, 0.5));
const bytesBoundArb = bound(
  fc.constantFrom<unknown>(0, '1GB', '1KiB'),
  fc.constantFrom<unknown>('1TB', '80GiB', 1e300, '1e30TiB'),
);

/** Documents assembled from spec fields, mostly valid, with hostile names and edge values. */
export const specShapedArb: fc.Arbitrary<Buffer> = fc
  .tuple(
    fc.record(
      {
        version: mostly(fc.constant(1), fc.constantFrom<unknown>(2, '1', 0)),
        name: mostly(
          fc.constantFrom('fuzz', 'a.b-c_d', '_x', 'X1'),
          fc.oneof(fc.constantFrom('.hidden', '-x', 'a b', '', '../up', 'a/b'), meaningfulStringArb),
        ),
        description: fc.oneof(designNameArb, meaningfulStringArb),
        grid: mostly(
          fc.record({
            experts: mostly(goodAxis([[4, 8], { from: 2, to: 16, times: 2 }, 8, { from: 1, to: 4 }]), smallAxisArb),
            top_k: mostly(goodAxis([[1, 2], { from: 1, to: 4 }, 2, 1]), smallAxisArb),
            expert_params: mostly(
              goodAxis([['1B', '2B'], { from: '0.5B', to: '2B', step: '0.5B' }, '1B', 1, 1e15, '1T', '0.1K']),
              smallAxisArb,
            ),
            shared_params: mostly(goodAxis([['1B', '2B'], '0', 0, '4B', 1e15, { from: 0, to: 3 }]), smallAxisArb),
          }),
          fc.record(
            { experts: smallAxisArb, top_k: smallAxisArb, expert_params: smallAxisArb, shared_params: smallAxisArb },
            { requiredKeys: [] },
          ),
        ),
        dtype: mostly(
          fc.constantFrom<unknown>('bf16', 'fp8', 'int4', 'fp32', 'fp16', 'int8'),
          fc.constantFrom<unknown>('fp4', 8, null, 'BF16'),
        ),
        constraints: mostly(
          fc.record(
            {
              total_params: countBoundArb,
              active_params: countBoundArb,
              flops_per_token: countBoundArb,
              active_ratio: ratioBoundArb,
              expert_sparsity: ratioBoundArb,
              compute_saving: ratioBoundArb,
              weight_bytes: bytesBoundArb,
              vram_bytes: bytesBoundArb,
              vram: fc.record(
                {
                  budget: fc.constantFrom<unknown>('80GB', '640GB', '1TiB', '1e30', 1, 1e300),
                  overhead: fc.constantFrom<unknown>(0, 0.15, 1, 100, 1e300),
                },
                { requiredKeys: ['budget'] },
              ),
            },
            { requiredKeys: [] },
          ),
          fc.dictionary(
            fc.constantFrom(...METRICS, 'vram', 'typo', 'vram_budget'),
            fc.oneof(
              fc.record(
                { min: fc.oneof(specialNumberArb, unitStringArb), max: fc.oneof(specialNumberArb, unitStringArb) },
                { requiredKeys: [] },
              ),
              fc.record(
                { budget: fc.oneof(unitStringArb, specialNumberArb), overhead: specialNumberArb },
                { requiredKeys: [] },
              ),
            ),
            { maxKeys: 3 },
          ),
        ),
        objectives: mostly(
          fc
            .uniqueArray(fc.constantFrom(...METRICS), { minLength: 1, maxLength: 4 })
            .chain((ms) => fc.tuple(...ms.map((m) => fc.constantFrom(`min ${m}`, `max ${m}`)))),
          fc.array(
            fc.oneof(
              fc.constantFrom(...METRICS).map((m) => `min ${m}`),
              meaningfulStringArb,
            ),
            { maxLength: 3 },
          ),
        ),
        designs: fc.uniqueArray(
          fc.oneof(
            mostly(
              fc.record({
                name: designNameArb,
                experts: fc.integer({ min: 2, max: 64 }),
                top_k: fc.integer({ min: 1, max: 2 }),
                expert_params: fc.constantFrom<unknown>('1B', '0.5B', 3e9, 1, 1e300),
                shared_params: fc.constantFrom<unknown>('1B', 0, '2B', 1e300),
              }),
              fc.record(
                {
                  name: designNameArb,
                  experts: specialNumberArb,
                  top_k: specialNumberArb,
                  expert_params: unitStringArb,
                  shared_params: unitStringArb,
                },
                { requiredKeys: [] },
              ),
            ),
            fc.record(
              { preset: mostly(fc.constantFrom(...PRESET_IDS), meaningfulStringArb), name: designNameArb },
              { requiredKeys: ['preset'] },
            ),
          ),
          {
            maxLength: 4,
            selector: (d) => (d as { name?: unknown; preset?: unknown }).name ?? (d as { preset?: unknown }).preset,
          },
        ),
        compare: fc.uniqueArray(mostly(fc.constantFrom(...PRESET_IDS), meaningfulStringArb), { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    renderOptionsArb,
  )
  .map(([spec, o]) => Buffer.from(stringify(spec, o), 'utf8'));
