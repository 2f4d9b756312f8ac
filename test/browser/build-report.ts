// Builds a report for a browser test: the CLI from source into a fresh temporary folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { missingChromium } from '../../scripts/offline-chromium.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Fails with install instructions when Chromium is missing; returns the folder holding report.html. */
export async function buildReport(
  spec: string,
  chromium: string,
  prefix: string,
  args: string[] = [],
): Promise<string> {
  const missing = missingChromium(chromium);
  if (missing) throw new Error(`The browser test needs Chromium. ${missing}`);
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  try {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', spec, '--out', outDir, '--quiet', ...args],
      { cwd: ROOT },
    );
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    throw new Error(`the CLI failed to build the report (exit ${e.code}):\n${e.stderr ?? String(err)}`);
  }
  if (!existsSync(join(outDir, 'report.html'))) throw new Error(`the CLI wrote no report.html in ${outDir}`);
  return outDir;
}

/** Waits until the page's script has turned every chart into a live view; fails on its error. */
export async function waitLive(page: Page): Promise<number> {
  await page.waitForFunction(
    () =>
      document.documentElement.hasAttribute('data-live') || document.documentElement.hasAttribute('data-live-error'),
  );
  const error = await page.evaluate(() => document.documentElement.getAttribute('data-live-error'));
  if (error) throw new Error(`the report's live views failed: ${error}`);
  return Number(await page.evaluate(() => document.documentElement.getAttribute('data-live')));
}
