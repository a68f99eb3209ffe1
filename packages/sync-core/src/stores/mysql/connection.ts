import mysql from 'mysql2/promise';
import { InvalidInputError, SchemaVersionError, StoreConfigError } from '../errors.js';
import { requirePrefix } from '../input.js';

export interface MysqlStoreOptions {
  /** Prefix of every table this store creates (letters, digits, `_`). Default `plumbline_`. */
  prefix?: string;
}

/**
 * An existing mysql2 promise pool (the store never ends it), or pool options or a
 * `mysql://user:password@host:port/database` URL (the store owns and ends the pool).
 */
export type MysqlSource = mysql.Pool | mysql.PoolOptions | string;

/** A connection taken from the pool, or the pool itself: both run statements. */
export type MysqlRunner = Pick<mysql.Pool, 'execute' | 'query'>;

export interface MysqlHandle {
  pool: mysql.Pool;
  prefix: string;
  /** Resolves once the schema is migrated (runs the migration on first call). */
  ready(): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** One schema version: the statements (run one by one) that move version i to i + 1. */
export type MysqlMigration = (prefix: string) => string[];

/**
 * The server's clock as epoch milliseconds, for use inside a statement. `UTC_TIMESTAMP(6)` does not
 * depend on the session's time zone (so a daylight-saving change cannot move it), and it is read
 * when the statement starts, so every use in one statement sees the same instant.
 */
export const MYSQL_NOW = `(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)`;

/** Server error numbers the stores act on. */
export const ER_DUP_ENTRY = 1062;
export const ER_LOCK_DEADLOCK = 1213;
export const ER_LOCK_WAIT_TIMEOUT = 1205;

/** What every table is created with: InnoDB (row locks, SKIP LOCKED) and UTF-8 text. */
export const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export function errno(error: unknown): number | undefined {
  return (error as { errno?: number } | undefined)?.errno;
}

function isPool(source: unknown): source is mysql.Pool {
  return (
    typeof (source as mysql.Pool).getConnection === 'function' &&
    typeof (source as mysql.Pool).execute === 'function'
  );
}

/** A percent-encoded part of the URL; a bad escape is refused without repeating the part. */
function decodeUrlPart(part: string, value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new StoreConfigError('pool', `URL has a malformed percent-escape in its ${part}`);
  }
}

/** Creates the owned pool; a malformed URL is refused without repeating it (it may hold a password). */
function createPool(source: mysql.PoolOptions | string): mysql.Pool {
  if (typeof source === 'string') {
    let url: URL;
    try {
      url = new URL(source);
    } catch {
      throw new StoreConfigError('pool', 'is not a valid mysql:// URL');
    }
    if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
      throw new StoreConfigError('pool', `URL must use mysql:// (got ${url.protocol}//)`);
    }
    // Only user, password, host, port and database are read: a query (`?ssl=…`) would be dropped
    // without a word, so it is refused; pass pool options for anything more.
    if (url.search !== '' || url.hash !== '') {
      throw new StoreConfigError(
        'pool',
        'URL must not carry a query or fragment (they are not read); pass mysql2 pool options instead',
      );
    }
    return mysql.createPool({
      host: url.hostname,
      port: url.port ? Number(url.port) : 3306,
      user: decodeUrlPart('user', url.username),
      password: decodeUrlPart('password', url.password),
      database: decodeUrlPart('database', url.pathname.replace(/^\//, '')) || undefined,
    });
  }
  return mysql.createPool(source);
}

export function openMysql(
  source: MysqlSource,
  options: MysqlStoreOptions,
  component: string,
  migrations: MysqlMigration[],
): MysqlHandle {
  const prefix = requirePrefix(options.prefix, 'plumbline_');
  if (!source || (typeof source !== 'object' && typeof source !== 'string')) {
    throw new StoreConfigError('pool', 'must be a mysql2 promise Pool, pool options or a URL');
  }
  const owned = !isPool(source);
  const pool = owned ? createPool(source as mysql.PoolOptions | string) : (source as mysql.Pool);
  // A pooled connection that the server or the network drops emits 'error'; unheard a second
  // time, that would end the process. The pool discards it and the next statement reconnects.
  if (owned) pool.pool.on('connection', (connection) => connection.on('error', () => {}));
  let migrated: Promise<void> | undefined;
  const migrate = () => migrateMysql(pool, prefix, component, migrations);
  return {
    pool,
    prefix,
    ready() {
      migrated ??= migrate().catch((error) => {
        migrated = undefined;
        throw error;
      });
      return migrated;
    },
    migrate,
    async close() {
      if (owned) await pool.end();
    },
  };
}

/**
 * Brings one component's tables to the newest version under a named lock (`GET_LOCK`), so several
 * processes starting at once migrate exactly once. DDL commits on its own in MySQL, so each
 * migration's statements are written to be safe to run again (IF NOT EXISTS).
 */
export async function migrateMysql(
  pool: mysql.Pool,
  prefix: string,
  component: string,
  migrations: MysqlMigration[],
): Promise<void> {
  const { connection, release } = await checkout(pool);
  const lock = `${prefix}plumbline_schema`;
  try {
    const [locked] = await connection.execute<mysql.RowDataPacket[]>(
      'SELECT GET_LOCK(?, 60) AS got',
      [lock],
    );
    if (Number(locked[0]?.got) !== 1) throw new Error(`could not take the schema lock ${lock}`);
    try {
      await connection.query(
        `CREATE TABLE IF NOT EXISTS \`${prefix}schema_version\` (component VARCHAR(64) PRIMARY KEY, version INT NOT NULL, updated_at BIGINT NOT NULL) ${TABLE_OPTIONS}`,
      );
      const [rows] = await connection.execute<mysql.RowDataPacket[]>(
        `SELECT version FROM \`${prefix}schema_version\` WHERE component = ?`,
        [component],
      );
      const current = rows[0] ? Number(rows[0].version) : 0;
      if (current > migrations.length)
        throw new SchemaVersionError(component, current, migrations.length);
      for (let version = current; version < migrations.length; version++) {
        for (const statement of migrations[version]!(prefix)) await connection.query(statement);
      }
      if (current < migrations.length) {
        await connection.execute(
          `INSERT INTO \`${prefix}schema_version\` (component, version, updated_at) VALUES (?, ?, ${MYSQL_NOW})
           ON DUPLICATE KEY UPDATE version = ?, updated_at = ${MYSQL_NOW}`,
          [component, migrations.length, migrations.length],
        );
      }
    } finally {
      await connection.execute('SELECT RELEASE_LOCK(?)', [lock]).catch(() => {});
    }
  } finally {
    release();
  }
}

/**
 * Takes one connection from the pool and listens for its 'error' while it is checked out, so a
 * connection reset mid-transaction rejects the statement instead of ending the process.
 * `release()` destroys a broken connection instead of returning it to the pool.
 */
export async function checkout(
  pool: mysql.Pool,
  onLost?: (error: Error) => void,
): Promise<{ connection: mysql.PoolConnection; release: (broken?: boolean) => void }> {
  const connection = await pool.getConnection();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
    onLost?.(error);
  };
  connection.connection.on('error', onError);
  return {
    connection,
    release(broken = false) {
      connection.connection.off('error', onError);
      if (broken || lost) connection.destroy();
      else connection.release();
    },
  };
}

/** Transactions in READ COMMITTED: no gap locks, so claims and inserts do not block each other. */
async function begin(connection: mysql.PoolConnection): Promise<void> {
  await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  await connection.query('START TRANSACTION');
}

/**
 * Runs `fn` in a transaction on one pooled connection. A deadlock rolls the whole transaction back
 * in InnoDB, so it is run again from the start (a few times) before the error is passed on.
 */
export async function transaction<T>(
  pool: mysql.Pool,
  fn: (connection: mysql.PoolConnection) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const { connection, release } = await checkout(pool);
    let broken = false;
    try {
      await begin(connection);
      const result = await fn(connection);
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => {
        broken = true;
      });
      if (errno(error) !== ER_LOCK_DEADLOCK || attempt >= 8) throw error;
    } finally {
      release(broken);
    }
  }
}

export { begin as beginReadCommitted };

/** `?, ?, ?` for a list of values (prepared statements take no arrays). */
export function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** VARBINARY columns come back as Buffers: their text is UTF-8. */
export function text(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : text(value);
}

export type Row = mysql.RowDataPacket;
export type Result = mysql.ResultSetHeader;

/**
 * Keys are stored in VARBINARY columns of a fixed size (InnoDB indexes at most 3072 bytes); a
 * longer value is refused here, because a server not in strict mode would cut it short silently.
 */
export function requireBytes(field: string, value: string, max: number): string {
  if (typeof value !== 'string') {
    throw new InvalidInputError(field, `must be a string, got ${typeof value}`);
  }
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > max) {
    throw new InvalidInputError(field, `must be at most ${max} bytes of UTF-8, got ${bytes}`);
  }
  return value;
}

/** Room left in a packet for the rest of a statement (its text, keys, ids and numbers). */
const PACKET_SLACK = 64 * 1024;
const maxPackets = new WeakMap<mysql.Pool, Promise<number>>();

/**
 * The server's `max_allowed_packet` in bytes, read once per pool. A statement bigger than it is
 * not refused with an error: the server drops the connection, so callers check before sending.
 */
export function maxAllowedPacket(pool: mysql.Pool): Promise<number> {
  let read = maxPackets.get(pool);
  if (read === undefined) {
    read = pool
      .query<Row[]>('SELECT @@max_allowed_packet AS m')
      .then(([rows]) => Number(rows[0]?.m));
    maxPackets.set(pool, read);
    // A failed read (server unreachable) is tried again by the next statement.
    read.catch(() => maxPackets.delete(pool));
  }
  return read;
}

/** How many bytes of values one statement may carry next to its other parts. */
export function packetRoom(max: number): number {
  return max - PACKET_SLACK;
}

/**
 * Refuses a value that a statement carrying it `copies` times could not send in one packet, with
 * a typed error naming the field, its size and the server's limit.
 */
export function requirePacketRoom(
  field: string,
  value: string,
  copies: number,
  max: number,
): number {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes * copies > packetRoom(max)) {
    throw new InvalidInputError(
      field,
      `is ${bytes} bytes of UTF-8, too large to send: the MySQL server's max_allowed_packet is ${max} bytes and one statement carries the ${field} ${copies === 1 ? 'once' : `${copies} times`} with up to ${PACKET_SLACK} bytes more`,
    );
  }
  return bytes;
}
