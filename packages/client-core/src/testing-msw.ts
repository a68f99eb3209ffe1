// `@plumbline/client-core/testing/msw`: the emulator kit's msw adapter, on its own subpath so that
// `@plumbline/client-core/testing` (node:http `listen`, faults, snapshots) loads without msw, an
// optional peer dependency needed only here.
export { mswHandlers } from './emulator/msw.js';
