import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const drivers = ['better-sqlite3', 'pg', 'ioredis', 'amqplib', 'mysql2', 'mysql2/promise'];

/** Every bare module a source entry reaches through its static imports. */
function bareImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.'))
        visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else bare.add(specifier);
    }
  };
  visit(resolve(src, entry));
  return bare;
}

describe('entry points', () => {
  it('the root entry imports no database or broker driver', () => {
    const imported = [...bareImports('index.ts')];
    expect(imported.filter((name) => drivers.includes(name))).toEqual([]);
  });

  it.each([
    ['sqlite.ts', 'better-sqlite3'],
    ['postgres.ts', 'pg'],
    ['redis.ts', 'ioredis'],
    ['rabbitmq.ts', 'amqplib'],
    ['mysql.ts', 'mysql2/promise'],
  ])('%s imports only its own driver (%s)', (entry, driver) => {
    const imported = [...bareImports(entry)].filter((name) => drivers.includes(name));
    expect(imported).toEqual([driver]);
  });
});
