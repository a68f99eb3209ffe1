import os from 'node:os';

export interface MachineInfo {
  os: string;
  cpuModel: string;
  cpus: number;
  memoryGb: number;
  node: string;
  date: string;
  /** 1-minute load average when the run started (other work on the machine skews timings). */
  loadAverage: number;
}

export function machineInfo(now = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    date: now.toISOString(),
    loadAverage: os.loadavg()[0] ?? 0,
  };
}
