// Public API of @plumbline/ops-console.

export { ConsoleOptionError, createConsole, SECURITY_HEADERS } from './console.js';
export { ConsoleInputError } from './context.js';
export { SESSION_COOKIE } from './csrf.js';
export { nodeListener } from './node-http.js';
export type {
  ConsoleBreaker,
  ConsoleDeadLetterList,
  ConsoleHandler,
  ConsoleLimiter,
  ConsoleOptions,
  ConsoleReconciliation,
  ConsoleRunner,
} from './options.js';
