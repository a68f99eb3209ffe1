import mysql from 'mysql2/promise';
import { mysqlConfig } from './services.js';

export function mysqlPool(max = 10): mysql.Pool {
  return mysql.createPool({ ...mysqlConfig, connectionLimit: max });
}

/** Drops every table tests created under these prefixes. */
export async function dropMysqlPrefix(pool: mysql.Pool, ...prefixes: string[]): Promise<void> {
  for (const prefix of prefixes) {
    const [rows] = await pool.execute<mysql.RowDataPacket[]>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = DATABASE() AND LEFT(table_name, CHAR_LENGTH(?)) = ?`,
      [prefix, prefix],
    );
    if (rows.length > 0) {
      await pool.query(
        `DROP TABLE IF EXISTS ${rows.map((r) => pool.escapeId(String(r.name))).join(', ')}`,
      );
    }
  }
}
