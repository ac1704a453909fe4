// What the numbers were measured on, for the JSON and docs/performance.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, release, totalmem, type } from 'node:os';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGB: number;
  os: string;
  node: string;
  /** File system type of the folder holding the benchmark's databases (fsync cost depends on it). */
  dataFilesystem: string;
  /** 1-minute load average when the run started: well above 0 means other work shared the machine. */
  loadAverageAtStart: number;
  /** The same when the run ended: other work that started meanwhile shows here. */
  loadAverageAtEnd?: number;
}

/** The 1-minute load average now. */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

export function describeMachine(dataFolder: string): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  let filesystem = 'unknown';
  try {
    filesystem = execFileSync('df', ['--output=fstype', dataFolder], { encoding: 'utf8' }).trim().split('\n').pop()!;
  } catch {
    // df missing: leave it unknown.
  }
  return {
    cores: availableParallelism(),
    cpuModel: model,
    memoryGB: Math.round(totalmem() / 1e9),
    os: `${type()} ${release()}`,
    node: process.version,
    dataFilesystem: filesystem,
    loadAverageAtStart: loadAverage(),
  };
}
