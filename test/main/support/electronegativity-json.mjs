// Runs electronegativity's own runner over one folder and prints its findings as JSON on stdout
// (the CLI's CSV writer appends rows and writes the header concurrently, which can interleave;
// its SARIF output drops the severity). Usage: node electronegativity-json.mjs FOLDER ELECTRON_VERSION
import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(import.meta.url);
// The runner first downloads updated translations with got 11, whose timeout path throws an
// uncaught error on Node 22 and later when the network refuses it. The English texts ship in
// the package: answer that download at once as failed, which the runner already handles.
const runnerRequire = createRequire(require.resolve('@doyensec/electronegativity'));
const gotPath = runnerRequire.resolve('got');
require.cache[gotPath] = {
  id: gotPath,
  filename: gotPath,
  loaded: true,
  exports: () => Promise.reject(new Error('offline: translations are not downloaded in tests')),
};
const run = require('@doyensec/electronegativity');

const [input, electronVersion] = process.argv.slice(2);
const quiet = () => undefined;
// The runner logs progress and an offline warning through console; keep stdout for the JSON.
globalThis.console.log = quiet;
globalThis.console.info = quiet;
globalThis.console.warn = quiet;

run(
  {
    input,
    output: undefined,
    isSarif: false,
    customScan: [],
    excludeFromScan: [],
    severitySet: undefined,
    confidenceSet: undefined,
    isRelative: true,
    isVerbose: false,
    electronUpgrade: undefined,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
).then(
  (result) => {
    const findings = result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      sample: issue.sample ?? null,
      manualReview: Boolean(issue.manualReview),
    }));
    process.stdout.write(
      JSON.stringify({
        atomicChecks: result.atomicChecks,
        globalChecks: result.globalChecks,
        errors: result.errors.length,
        findings,
      }),
    );
  },
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
