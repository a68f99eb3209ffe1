import type { SqlRow } from './suiteql-engine.js';

/** One output column of a grouped query: a grouping column, or `COUNT(*)` / `COUNT(column)`. */
export interface GroupedColumn {
  column: string;
  alias: string;
  count?: true;
}

/**
 * `GROUP BY` with `COUNT`: one row per distinct combination of the grouping columns (NULL is a
 * group of its own, as in Oracle), in the order each group first appears. A row holds each
 * grouping column under its own name and under its alias, and each count, as NetSuite answers
 * numbers, as a decimal string. `COUNT(*)` counts the group's rows, `COUNT(column)` the rows where
 * the column has a value. Without `GROUP BY` the whole selection is one group (a count of no rows
 * is `0`).
 */
export function groupRows(
  rows: readonly SqlRow[],
  columns: readonly GroupedColumn[],
  groupBy: readonly string[],
): SqlRow[] {
  const groups = new Map<string, { first: SqlRow; members: SqlRow[] }>();
  if (groupBy.length === 0) groups.set('[]', { first: {}, members: [] });
  for (const row of rows) {
    const key = JSON.stringify(groupBy.map((column) => row[column] ?? null));
    let group = groups.get(key);
    if (group === undefined) {
      group = { first: row, members: [] };
      groups.set(key, group);
    }
    group.members.push(row);
  }
  return [...groups.values()].map(({ first, members }) => {
    const out: SqlRow = {};
    for (const column of groupBy) out[column] = first[column] ?? null;
    for (const c of columns) {
      if (c.count) {
        const counted =
          c.column === '*'
            ? members.length
            : members.filter((m) => m[c.column] !== null && m[c.column] !== undefined).length;
        out[c.alias] = String(counted);
      } else {
        out[c.alias] = first[c.column] ?? null;
      }
    }
    return out;
  });
}
