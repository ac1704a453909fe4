// Time from navigation to a usable sign-in form, in headless Chromium: the moment an input
// labelled "Username" exists, is enabled, visible and takes focus, read from the page's own clock
// (performance.now(), whose zero is the start of the navigation). The baseline is a blank Vite
// React page, built in the same run, that renders just such an input.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { launchChromium } from './chromium.js';
import { median } from './stats.js';

/**
 * Watches the DOM from before the first script runs. Plain text, not a function: the TypeScript
 * loader would add helpers the page does not have.
 */
export const USABLE_FORM_PROBE = `(() => {
  const labelled = (input) => {
    const names = [input.getAttribute('aria-label') || ''];
    for (const label of input.labels || []) names.push(label.textContent || '');
    const by = input.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\\s+/)) names.push(document.getElementById(id)?.textContent || '');
    return names.some((name) => /^\\s*username\\s*\\*?\\s*$/i.test(name));
  };
  const check = () => {
    if (window.__usableAt !== undefined) return;
    for (const input of document.querySelectorAll('input')) {
      if (!labelled(input) || input.disabled || input.readOnly || !input.checkVisibility()) continue;
      input.focus({ preventScroll: true });
      if (document.activeElement !== input) continue;
      window.__usableAt = performance.now();
      observer.disconnect();
      return;
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
  const poll = () => { check(); if (window.__usableAt === undefined) requestAnimationFrame(poll); };
  requestAnimationFrame(poll);
})();`;

export interface PageLoadResult {
  /** Median over the measured loads, in milliseconds. */
  medianMs: number;
  samplesMs: number[];
}

/**
 * Loads `url` once to warm Chromium up, then `loads` times, each in a fresh browser context (no
 * cache, no cookies), and returns the time to a usable Username field.
 */
export async function timeToUsableForm(url: string, loads: number, timeoutMs = 20_000): Promise<PageLoadResult> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let i = 0; i <= loads; i++) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.addInitScript({ content: USABLE_FORM_PROBE });
        await page.goto(url, { waitUntil: 'commit' });
        // A function, not a string: the User Center's CSP forbids eval, which a string predicate needs.
        await page.waitForFunction(() => (globalThis as { __usableAt?: number }).__usableAt !== undefined, undefined, {
          timeout: timeoutMs,
        });
        const usableAt = (await page.evaluate('window.__usableAt')) as number;
        if (i > 0) samples.push(usableAt);
      } finally {
        await context.close();
      }
    }
    return { medianMs: median(samples), samplesMs: samples };
  } finally {
    await browser.close();
  }
}

/**
 * Builds the baseline page with Vite and the React plugin: React renders one labelled input.
 * `folder` must lie inside the repository, whose node_modules hold react and react-dom.
 */
export async function buildBlankReactPage(folder: string): Promise<string> {
  const source = join(folder, 'src');
  const out = join(folder, 'dist');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(source, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Blank</title></head>' +
      '<body><div id="root"></div><script type="module" src="./main.jsx"></script></body></html>\n',
  );
  writeFileSync(
    join(source, 'main.jsx'),
    "import { createRoot } from 'react-dom/client';\n" +
      'createRoot(document.getElementById(\'root\')).render(<label>Username <input name="username" /></label>);\n',
  );
  await build({
    root: source,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    cacheDir: join(folder, '.vite'),
    build: { outDir: out, emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
  });
  return out;
}
