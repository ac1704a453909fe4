// Prints where a CPU profile's time went: the frames with the most self time, and the same by
// package or server file, as Markdown for docs/performance.md "CPU profiles".
// Usage: node --import tsx bench/cpu-profile-summary.ts FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { profileMarkdown, summarizeProfile, type CpuProfile } from './lib/cpu-profile.js';
import { REPO_ROOT } from './lib/processes.js';

const [file, top = '20'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('Usage: node --import tsx bench/cpu-profile-summary.ts FILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
process.stdout.write(`${profileMarkdown(summarizeProfile(profile, REPO_ROOT), Number(top))}\n`);
