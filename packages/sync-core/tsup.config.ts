import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/sqlite.ts',
    'src/postgres.ts',
    'src/redis.ts',
    'src/rabbitmq.ts',
    'src/mysql.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: false,
  // import.meta.url in the CommonJS build (the optional `@opentelemetry/api` is loaded with createRequire).
  shims: true,
});
