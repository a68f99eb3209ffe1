export { type FaultOptions, type FaultStats, withFaults } from './emulator/faults.js';
export { type Handler, jsonResponse } from './emulator/handler.js';
export { listen, type RunningServer } from './emulator/listen.js';
export { mulberry32 } from './emulator/prng.js';
export { checkSnapshot, EmulatorSnapshotError, secretDigest } from './emulator/snapshot.js';
