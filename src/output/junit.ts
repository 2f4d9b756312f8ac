// junit.xml for CI systems that display test results natively: one test case per named design and one
// for "the grid has a feasible design", failures explaining each violated constraint with its value and bound.
import { hasGrid } from '../sweep/plan.js';
import type { SweepResult } from '../sweep/types.js';
import { formatBytes, formatCount } from '../formats/units.js';
import { designReasons } from '../sweep/findings.js';

/** Escapes text for XML content and attributes, dropping characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

interface Case {
  name: string;
  failure?: string;
}

export function junitCases(result: SweepResult): Case[] {
  const cases: Case[] = result.designs.map((d, i) => ({
    name: `design ${d.name} meets the constraints`,
    failure: d.feasible
      ? undefined
      : `fails ${designReasons(result.spec, d, i)} (total ${formatCount(d.metrics.total_params)}, active ${formatCount(d.metrics.active_params)}, vram ${formatBytes(d.metrics.vram_bytes)}) at ${result.spec.file}:${d.line}`,
  }));
  if (hasGrid(result.spec)) {
    const c = result.counts;
    cases.push({
      name: 'grid has a feasible design',
      failure:
        c.feasible > 0
          ? undefined
          : `none of ${c.evaluated.toLocaleString('en-US')} grid designs is feasible; failing each constraint: ${Object.entries(
              result.violationCounts,
            )
              .map(([k, n]) => `${k} ${n.toLocaleString('en-US')}`)
              .join(', ')}`,
    });
  }
  return cases;
}

export function junitXml(result: SweepResult, seconds: number): string {
  const cases = junitCases(result);
  const failures = cases.filter((c) => c.failure).length;
  const suite = `moe-sweep ${result.spec.name}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="moe-sweep" tests="${cases.length}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="${xmlEscape(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${seconds.toFixed(3)}">`,
  ];
  for (const c of cases) {
    const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape(c.name)}" file="${xmlEscape(result.spec.file)}" time="0">`;
    if (c.failure)
      lines.push(
        open,
        `      <failure message="${xmlEscape(c.failure)}" type="constraint">${xmlEscape(c.failure)}</failure>`,
        '    </testcase>',
      );
    else lines.push(`${open}</testcase>`);
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
