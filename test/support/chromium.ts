// Debian's Chromium as every browser test and benchmark here launches it (CONTRIBUTING.md "What runs
// where"): headless, and without the background traffic this machine's closed network refuses.
// Playwright's own browser download is not reachable here.
export const CHROMIUM_PATH = process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
