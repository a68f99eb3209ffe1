import Database from 'better-sqlite3';
import { SchemaVersionError, StoreConfigError } from '../errors.js';
import { requirePrefix } from '../input.js';

export type SqliteDatabase = Database.Database;

export interface SqliteStoreOptions {
  /** Prefix of every table this store creates (letters, digits, `_`). Default `plumbline_`. */
  prefix?: string;
}

/** An open better-sqlite3 database, or a file name (':memory:' works) the store opens and owns. */
export type SqliteSource = SqliteDatabase | string;

export interface SqliteHandle {
  db: SqliteDatabase;
  prefix: string;
  close(): Promise<void>;
}

export function openSqlite(source: SqliteSource, options: SqliteStoreOptions = {}): SqliteHandle {
  const prefix = requirePrefix(options.prefix, 'plumbline_');
  let db: SqliteDatabase;
  let owned = false;
  if (typeof source === 'string') {
    db = new Database(source);
    owned = true;
    db.pragma('journal_mode = WAL');
  } else if (source && typeof (source as SqliteDatabase).prepare === 'function') {
    db = source as SqliteDatabase;
  } else {
    throw new StoreConfigError('database', 'must be a better-sqlite3 Database or a file name');
  }
  // Several processes share one file: wait for the write lock instead of failing with SQLITE_BUSY.
  if (db.pragma('busy_timeout', { simple: true }) === 0) db.pragma('busy_timeout = 10000');
  return {
    db,
    prefix,
    async close() {
      if (owned && db.open) db.close();
    },
  };
}

/**
 * Brings one component's tables to the newest version: `migrations[i]` moves the schema from
 * version i to i + 1. Idempotent; runs under the write lock so concurrent openers agree.
 */
export function migrateSqlite(
  handle: SqliteHandle,
  component: string,
  migrations: Array<(prefix: string) => string>,
): void {
  const { db, prefix } = handle;
  const table = `${prefix}schema_version`;
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (component TEXT PRIMARY KEY, version INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  );
  db.transaction(() => {
    const row = db.prepare(`SELECT version FROM ${table} WHERE component = ?`).get(component) as
      | { version: number }
      | undefined;
    const current = row?.version ?? 0;
    if (current > migrations.length) {
      throw new SchemaVersionError(component, current, migrations.length);
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version]!(prefix));
    }
    if (current < migrations.length) {
      db.prepare(
        `INSERT INTO ${table} (component, version, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(component) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
      ).run(component, migrations.length, Date.now());
    }
  }).immediate();
}
