// The rows about size rather than speed: server memory, the User Center's weight, and the time
// until its sign-in form is usable, beside a blank Vite React page built in the same run.
import { join, relative } from 'node:path';
import { measureBundle } from './bundle-size.js';
import type { Server } from './measure.js';
import type { Profile } from './options.js';
import { buildBlankReactPage, timeToUsableForm } from './page-load.js';
import { REPO_ROOT } from './processes.js';
import { formatValue, type Row } from './report.js';
import { valueRow } from './rows.js';
import { serveStatic } from './static-server.js';
import { TARGETS } from './targets.js';

/**
 * "Idle" memory is read this long after start, with no request meanwhile: V8 keeps the heap it
 * grew while loading the server's modules until its memory reducer runs, some seconds later.
 */
export const IDLE_SETTLE_MS = 60_000;

/** 1000 → "1k", 100000 → "100k", 1000000 → "1M". */
export function countLabel(count: number): string {
  if (count >= 1e6 && count % 1e6 === 0) return `${count / 1e6}M`;
  if (count >= 1e3 && count % 1e3 === 0) return `${count / 1e3}k`;
  return count.toLocaleString('en-US');
}

/** Resident memory read once each process had been idle IDLE_SETTLE_MS since its start. */
export interface IdleMemory {
  small: number;
  large: number;
  /** bench/bare-node-server.mjs: what any Node process that listens holds (its own code among it). */
  bareNode: number;
}

export function memoryRowsOf(
  small: Server,
  large: Server,
  idle: IdleMemory,
  afterLoad: { bytes: number; secondsIdle: number },
): Row[] {
  const accounts = (server: Server) => `${countLabel(server.accounts)} accounts`;
  const bareLabel = 'Bare Node HTTP server memory (RSS) idle (baseline)';
  const bareNode = {
    id: 'rss-idle-bare-node',
    label: 'bare Node server',
    display: formatValue(idle.bareNode, 'bytes'),
    value: idle.bareNode,
  };
  const idleRow = (server: Server, bytes: number) =>
    valueRow({
      id: `rss-idle-${server.name}`,
      label: `Server memory (RSS) idle, ${accounts(server)}`,
      value: bytes,
      unit: 'bytes',
      target: TARGETS.memoryBytes,
      baseline: bareNode,
      note: `read ${IDLE_SETTLE_MS / 1000} s after start, before any request.`,
    });
  const peak = large.peakRss.reduce((best, sample) => (sample.bytes > best.bytes ? sample : best));
  return [
    valueRow({
      id: bareNode.id,
      label: bareLabel,
      value: idle.bareNode,
      unit: 'bytes',
      note:
        `bench/bare-node-server.mjs (node:http, no framework, no data), read ${IDLE_SETTLE_MS / 1000} s after start: ` +
        "what any Node process that listens holds, most of it the pages of Node's own executable.",
    }),
    idleRow(small, idle.small),
    idleRow(large, idle.large),
    valueRow({
      id: 'rss-peak',
      label: `Server memory (RSS) under load, peak, ${accounts(large)}`,
      value: peak.bytes,
      unit: 'bytes',
      note: `highest during "${peak.row}".`,
    }),
    valueRow({
      id: 'rss-after-load',
      label: `Server memory (RSS) idle after the load, ${accounts(large)}`,
      value: afterLoad.bytes,
      unit: 'bytes',
      target: TARGETS.memoryBytes,
      baseline: bareNode,
      note:
        `read ${afterLoad.secondsIdle} s after the last request it served (its password sign-in row), with no request since: ` +
        'what the load grew and the server keeps; the list above says what holds it.',
    }),
  ];
}

export function bundleRows(rendererDir: string): Row[] {
  const bundle = measureBundle(rendererDir);
  const where = relative(REPO_ROOT, rendererDir) || rendererDir;
  if (!bundle) {
    const note = `not built (no ${where}/index.html); run \`npm run build\`.`;
    return [
      valueRow({
        id: 'js-gzip',
        label: 'User Center JavaScript',
        value: null,
        unit: 'bytes',
        display: 'not built',
        note,
      }),
      valueRow({ id: 'css-gzip', label: 'User Center CSS', value: null, unit: 'bytes', display: 'not built' }),
    ];
  }
  const describe = (weight: { gzipBytes: number; rawBytes: number; files: number }) =>
    `${formatValue(weight.gzipBytes, 'bytes')} gzip (${formatValue(weight.rawBytes, 'bytes')} raw, ${weight.files} ${weight.files === 1 ? 'file' : 'files'})`;
  return [
    valueRow({
      id: 'js-gzip',
      label: 'User Center JavaScript',
      value: bundle.js.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.js),
      target: TARGETS.javascriptBytes,
    }),
    valueRow({
      id: 'js-on-demand-gzip',
      label: 'User Center JavaScript loaded on demand',
      value: bundle.jsOnDemand.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.jsOnDemand),
    }),
    valueRow({
      id: 'css-gzip',
      label: 'User Center CSS',
      value: bundle.css.gzipBytes,
      unit: 'bytes',
      display: describe(bundle.css),
    }),
  ];
}

export async function pageLoadRow(
  profile: Profile,
  rendererDir: string,
  server: Server,
  blankPagePort: number,
): Promise<Row> {
  const label = 'Time to a usable sign-in form (headless Chromium)';
  const blankDist = await buildBlankReactPage(join(REPO_ROOT, 'build/bench/blank-react'));
  const site = await serveStatic(blankDist, blankPagePort);
  let blank;
  try {
    blank = await timeToUsableForm(`${site.origin}/`, profile.pageLoads);
  } finally {
    await site.close();
  }
  const baseline = {
    id: 'blank-react',
    label: 'blank Vite React page',
    display: formatValue(blank.medianMs, 'ms'),
    value: blank.medianMs,
  };
  const note = `median of ${profile.pageLoads} loads, each in a fresh browser context; the User Center is served by the built server.`;
  if (!measureBundle(rendererDir)) {
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not built', baseline });
  }
  const url = `http://localhost:${server.port}/`;
  try {
    const userCenter = await timeToUsableForm(url, profile.pageLoads);
    return valueRow({ id: 'page-load', label, value: userCenter.medianMs, unit: 'ms', baseline, note });
  } catch (error) {
    const page = await fetch(url).then((response) => response.text());
    const why = page.includes('id="root"')
      ? `no usable Username field appeared (${(error as Error).message.split('\n')[0]}).`
      : 'the server does not serve the built User Center at / (it answered its placeholder page).';
    return valueRow({ id: 'page-load', label, value: null, unit: 'ms', display: 'not measured', baseline, note: why });
  }
}
