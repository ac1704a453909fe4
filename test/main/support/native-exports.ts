// The symbols a native addon exports, read from its own symbol table by the toolchain's tools,
// for every format a production dependency may ship (better-sqlite3 carries all eight OS/CPU
// prebuilds): ELF's dynamic symbol table with `nm -D` (binutils, or llvm-nm), Mach-O's external
// symbols with `nm -g` (Apple's nm, or llvm-nm), PE's export table with `objdump -p` (binutils, or
// llvm-objdump). The first tool on PATH that reads the file answers; .ci/run installs binutils and
// llvm, the macOS and Windows runners of the workflow have Apple's and LLVM's.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

export type BinaryFormat = 'elf' | 'mach-o' | 'pe';

/** The object format, from the file's magic number. */
export function binaryFormat(file: string): BinaryFormat | null {
  const head = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'elf';
  if (head.subarray(0, 2).toString('latin1') === 'MZ') return 'pe';
  const magic = head.readUInt32BE(0);
  // 32- and 64-bit Mach-O in either byte order, and universal ("fat") binaries.
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) return 'mach-o';
  return null;
}

type Reader = { command: string; args: string[]; parse: (output: string) => string[] };

/** nm's lines are `[address] type name`: the name is the last field. */
const nmNames = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 2)
    .map((fields) => fields.at(-1)!);

/**
 * `objdump -p`'s export table, as GNU objdump prints it (the names under "[Ordinal/Name Pointer]
 * Table") or llvm-objdump does (rows `ordinal RVA name` after "Export Table:"); either program
 * may be the `objdump` on PATH (macOS's is LLVM's).
 */
function peExports(output: string): string[] {
  const gnu = output.split('[Ordinal/Name Pointer] Table')[1];
  if (gnu !== undefined) {
    const names: string[] = [];
    for (const line of gnu.split('\n').slice(1)) {
      const match = /^\s*\[\s*\d+\]\s+(\S+)/.exec(line);
      if (!match) break;
      names.push(match[1]!);
    }
    return names;
  }
  const llvm = output.split('Export Table:')[1]?.split(/\n\s*\n/)[0];
  if (llvm === undefined) return [];
  return [...llvm.matchAll(/^\s*\d+\s+0x[0-9a-f]+\s+(\S+)\s*$/gim)].map((match) => match[1]!);
}

const READERS: Record<BinaryFormat, Reader[]> = {
  elf: ['nm', 'llvm-nm'].map((command) => ({ command, args: ['-D', '--defined-only'], parse: nmNames })),
  'mach-o': ['nm', 'llvm-nm'].map((command) => ({
    command,
    args: ['-g', '--defined-only'],
    // Mach-O prefixes C symbols with an underscore.
    parse: (output) => nmNames(output).map((name) => name.replace(/^_/, '')),
  })),
  pe: ['objdump', 'llvm-objdump'].map((command) => ({ command, args: ['-p'], parse: peExports })),
};

export interface Exports {
  format: BinaryFormat;
  /** The tool that read them, e.g. `nm -D --defined-only`. */
  tool: string;
  symbols: string[];
}

/** The addon's exported symbols; throws when no tool on PATH can read its format. */
export function exportedSymbols(file: string): Exports {
  const format = binaryFormat(file);
  if (format === null) throw new Error(`${file} is neither ELF, Mach-O nor PE.`);
  const tried: string[] = [];
  for (const reader of READERS[format]) {
    const result = spawnSync(reader.command, [...reader.args, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const tool = [reader.command, ...reader.args].join(' ');
    if (result.status === 0) return { format, tool, symbols: reader.parse(result.stdout) };
    tried.push(
      `${tool}: ${result.error ? 'not found' : (result.stderr.trim().split('\n')[0] ?? `exit ${result.status}`)}`,
    );
  }
  throw new Error(`No tool here reads the ${format} symbols of ${file} (${tried.join('; ')}).`);
}
