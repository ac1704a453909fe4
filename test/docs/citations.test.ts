// Every document a comment or a page cites is in the repository, so a person who clones it can
// open it: no pointer to the design notes or issues the project started from, and every
// `docs/x.md "Section"` or `SECURITY.md "Section"` names a section (a heading, or a bold run-in
// label) that the document has. Markdown links between the pages point to files that exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const THIS_FILE = 'test/docs/citations.test.ts';
const BINARY = /\.(png|jpe?g|ico|icns|woff2?|node|plist|admx|adml|mobileconfig)$/;

const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && file !== 'package-lock.json' && file !== THIS_FILE && !BINARY.test(file))
  .filter((file) => existsSync(join(ROOT, file)));

/** A file's text with comment continuations joined, so a citation wrapped over two lines reads as one. */
function text(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/\n[ \t]*(?:\/\/|\*(?!\/)|--|#)?[ \t]*/g, ' ');
}

function lineOf(file: string, fragment: string): string {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(fragment.slice(0, 20)));
  return `${file}:${index + 1}`;
}

/** Outside documents the project started from: none of them is in the repository. */
const OUTSIDE = [
  /\bAPI\.md\b/,
  /\bDESIGN\.md\b/,
  /\/work\/shared|\bshared\/[A-Z]/,
  /\b[Ii]ssue \d/,
  /\bUser Center issue\b/,
  /\bthe issue (fixes|asks|says|names)\b/,
];

const DOCUMENT =
  /\b((?:docs\/[\w.-]+|SECURITY|README|CONTRIBUTING|CHANGELOG)\.md)\b(?:'s)?,?\s*(?:"([^"]+)"|“([^”]+)”)?/g;

const sections = new Map<string, string[]>();
function sectionsOf(document: string): string[] {
  let found = sections.get(document);
  if (!found) {
    found = readFileSync(join(ROOT, document), 'utf8')
      .split('\n')
      .map((line) => /^#+ (.+)$/.exec(line)?.[1] ?? /^\s*(?:- )?\*\*(.+?)\*\*/.exec(line)?.[1]?.replaceAll('\\*', ''))
      .filter((title): title is string => title !== undefined);
    sections.set(document, found);
  }
  return found;
}

describe('citations', () => {
  it('reads the tree', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain('server/app.ts');
  });

  it('point to no document outside the repository', () => {
    const found = files.flatMap((file) => {
      const content = readFileSync(join(ROOT, file), 'utf8');
      return content
        .split('\n')
        .flatMap((line, index) =>
          OUTSIDE.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
        );
    });
    expect(found).toEqual([]);
  });

  it('name documents that exist, and sections those documents have', () => {
    const broken: string[] = [];
    let cited = 0;
    for (const file of files) {
      for (const match of text(file).matchAll(DOCUMENT)) {
        const [whole, document, straight, curly] = match;
        cited += 1;
        if (!existsSync(join(ROOT, document!))) {
          broken.push(`${lineOf(file, whole)}: ${document} does not exist`);
          continue;
        }
        const section = (straight ?? curly)?.trim();
        if (section !== undefined && !sectionsOf(document!).some((title) => title.includes(section))) {
          broken.push(`${lineOf(file, whole)}: ${document} has no section "${section}"`);
        }
      }
    }
    expect(cited).toBeGreaterThan(50);
    expect(broken).toEqual([]);
  });

  it('link pages to files that exist', () => {
    const broken = files
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) =>
        [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
          .map((match) => match[1]!)
          .filter((target) => !/^(https?|mailto):/.test(target))
          .filter((target) => !existsSync(normalize(join(ROOT, dirname(file), target))))
          .map((target) => `${file} → ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
