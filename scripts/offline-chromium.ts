// Debian's Chromium, driven by playwright-core with the network cut off: shared by the browser tests
// and scripts/screenshot.ts, so they all open reports the same way.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** No network at all: unresolvable hosts (Chromium's own background lookups included). */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost',
];

/** CHROMIUM_PATH, else `chromium` on the PATH (Debian: /usr/bin/chromium). */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (existsSync(join(dir, 'chromium'))) return join(dir, 'chromium');
  }
  return '/usr/bin/chromium';
}

export function missingChromium(path: string): string | undefined {
  if (existsSync(path)) return undefined;
  return (
    `Chromium not found at ${path}. Install Debian's chromium with ` +
    '`apt-get update && apt-get install -y --no-install-recommends chromium`, ' +
    'or set CHROMIUM_PATH to a Chromium executable.'
  );
}

export interface OfflineBrowser {
  browser: Browser;
  context: BrowserContext;
  /** Every URL the pages asked for, blocked or not. */
  requests: string[];
}

/** An offline context in which every request that is not a file:// URL is aborted (and recorded). */
export async function openOffline(viewport = { width: 1280, height: 900 }): Promise<OfflineBrowser> {
  const path = chromiumPath();
  const missing = missingChromium(path);
  if (missing) throw new Error(missing);
  const browser = await chromium.launch({ executablePath: path, headless: true, args: LAUNCH_ARGS });
  const context = await browser.newContext({ offline: true, viewport });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route(
    (u) => u.protocol !== 'file:',
    (r) => r.abort(),
  );
  return { browser, context, requests };
}
