import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const requireServices = process.env.PLUMBLINE_REQUIRE_SERVICES === '1';

export const services = {
  postgres: { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432) },
  redis: {
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
  },
  rabbitmq: {
    host: process.env.RABBITMQ_HOST ?? '127.0.0.1',
    port: Number(process.env.RABBITMQ_PORT ?? 5672),
  },
  mysql: {
    host: process.env.MYSQL_HOST ?? '127.0.0.1',
    port: Number(process.env.MYSQL_PORT ?? 3306),
  },
};

export const postgresConfig = {
  host: services.postgres.host,
  port: services.postgres.port,
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  ...(process.env.PGPASSWORD ? { password: process.env.PGPASSWORD } : {}),
};
/** MySQL / MariaDB: this machine's MariaDB takes root with no password on database `test`. */
export const mysqlConfig = {
  host: services.mysql.host,
  port: services.mysql.port,
  user: process.env.MYSQL_USER ?? 'root',
  database: process.env.MYSQL_DATABASE ?? 'test',
  ...(process.env.MYSQL_PASSWORD ? { password: process.env.MYSQL_PASSWORD } : {}),
};
export const rabbitUrl =
  process.env.RABBITMQ_URL ??
  `amqp://guest:guest@${services.rabbitmq.host}:${services.rabbitmq.port}`;

const probes = new Map<string, Promise<boolean>>();

/**
 * Whether a service answers on its port. Absent: prints a notice and returns false (the caller
 * skips), unless PLUMBLINE_REQUIRE_SERVICES=1, which makes the absence a failure.
 */
export function serviceAvailable(name: keyof typeof services): Promise<boolean> {
  let probe = probes.get(name);
  if (!probe) {
    const { host, port } = services[name];
    probe = new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    }).then((ok) => {
      if (ok) return true;
      if (requireServices) {
        throw new Error(
          `${name} is not reachable at ${host}:${port} and PLUMBLINE_REQUIRE_SERVICES=1`,
        );
      }
      console.warn(`[sync-core] ${name} is not reachable at ${host}:${port}: skipping its tests`);
      return false;
    });
    probes.set(name, probe);
  }
  return probe;
}

/** A table/key prefix unique to one test run, so parallel runs never see each other's data. */
export function uniquePrefix(tag = 't'): string {
  return `${tag}${randomBytes(4).toString('hex')}_`;
}

export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

export function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
  stepMs = 20,
) {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    for (;;) {
      if (await condition()) return;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
  })();
}
