import Database from 'better-sqlite3';
import type { Redis } from 'ioredis';
import type mysql from 'mysql2/promise';
import type pg from 'pg';

/** Reads back the effects the workers recorded (one row or count per execution, never deduplicated). */
export interface Ledger {
  /** How many times each job key's effect ran. */
  effects(): Promise<Map<string, number>>;
  /** How many idempotency records are `done`. */
  done(): Promise<number>;
}

export function sqliteLedger(file: string, prefix: string): Ledger & { close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${prefix}effects (id INTEGER PRIMARY KEY, job_key TEXT NOT NULL, pid INTEGER)`,
  );
  return {
    async effects() {
      const rows = db
        .prepare(`SELECT job_key, COUNT(*) AS n FROM ${prefix}effects GROUP BY job_key`)
        .all() as Array<{
        job_key: string;
        n: number;
      }>;
      return new Map(rows.map((row) => [row.job_key, row.n]));
    },
    async done() {
      const exists = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(`${prefix}idempotency`);
      if (!exists) return 0;
      return (
        db.prepare(`SELECT COUNT(*) AS n FROM ${prefix}idempotency WHERE state = 'done'`).get() as {
          n: number;
        }
      ).n;
    },
    close: () => db.close(),
  };
}

export async function postgresLedger(pool: pg.Pool, prefix: string): Promise<Ledger> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${prefix}effects (id BIGSERIAL PRIMARY KEY, job_key TEXT NOT NULL, pid INTEGER)`,
  );
  return {
    async effects() {
      const { rows } = await pool.query(
        `SELECT job_key, COUNT(*) AS n FROM ${prefix}effects GROUP BY job_key`,
      );
      return new Map(rows.map((row) => [row.job_key as string, Number(row.n)]));
    },
    async done() {
      const { rows } = await pool.query(`SELECT to_regclass($1) AS t`, [`${prefix}idempotency`]);
      if (!rows[0].t) return 0;
      const count = await pool.query(
        `SELECT COUNT(*) AS n FROM ${prefix}idempotency WHERE state = 'done'`,
      );
      return Number(count.rows[0].n);
    },
  };
}

export async function mysqlLedger(pool: mysql.Pool, prefix: string): Promise<Ledger> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${prefix}effects (id BIGINT AUTO_INCREMENT PRIMARY KEY, job_key VARCHAR(255) NOT NULL, pid INT) ENGINE=InnoDB`,
  );
  return {
    async effects() {
      const [rows] = await pool.query<mysql.RowDataPacket[]>(
        `SELECT job_key, COUNT(*) AS n FROM ${prefix}effects GROUP BY job_key`,
      );
      return new Map(rows.map((row) => [String(row.job_key), Number(row.n)]));
    },
    async done() {
      const [tables] = await pool.execute<mysql.RowDataPacket[]>(
        `SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`,
        [`${prefix}idempotency`],
      );
      if (tables.length === 0) return 0;
      const [rows] = await pool.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM ${prefix}idempotency WHERE state = 'done'`,
      );
      return Number(rows[0]!.n);
    },
  };
}

export function redisLedger(redis: Redis, prefix: string): Ledger {
  return {
    async effects() {
      const all = await redis.hgetall(`${prefix}effects`);
      return new Map(Object.entries(all).map(([key, n]) => [key, Number(n)]));
    },
    async done() {
      let cursor = '0';
      let count = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}idem:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) {
          const pipeline = redis.pipeline();
          for (const key of keys) pipeline.hget(key, 'state');
          const states = (await pipeline.exec()) ?? [];
          count += states.filter(([, state]) => state === 'done').length;
        }
      } while (cursor !== '0');
      return count;
    },
  };
}

export function summarise(effects: Map<string, number>) {
  let total = 0;
  let twice = 0;
  for (const n of effects.values()) {
    total += n;
    if (n > 1) twice += 1;
  }
  return { keys: effects.size, total, twice };
}
