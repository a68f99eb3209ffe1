import { SyncError } from '../errors.js';

/** A call received a value it cannot work with; `field` names the argument that was wrong. */
export class InvalidInputError extends SyncError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('INVALID_INPUT', `${field} ${problem}`);
    this.field = field;
  }
}

/** A store or manager was configured with an option it cannot use; `option` names it. */
export class StoreConfigError extends SyncError {
  readonly option: string;

  constructor(option: string, problem: string) {
    super('STORE_CONFIG', `option ${option} ${problem}`);
    this.option = option;
  }
}

/** The database holds a schema written by a newer version of this library. */
export class SchemaVersionError extends SyncError {
  constructor(component: string, found: number, supported: number) {
    super(
      'SCHEMA_VERSION',
      `the ${component} schema is at version ${found}, newer than the ${supported} this version of @plumbline/sync-core supports; upgrade the package`,
    );
  }
}

/** A caller's AbortSignal ended a wait. */
export class SyncAbortedError extends SyncError {
  constructor(what: string) {
    super('ABORTED', `${what} was aborted by the caller's signal`);
  }
}
