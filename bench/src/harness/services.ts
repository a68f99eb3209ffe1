import { connect } from 'node:net';

/** Loopback services some scenarios use; the same env variables as sync-core's tests. */
export const services = {
  postgres: {
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    ...(process.env.PGPASSWORD ? { password: process.env.PGPASSWORD } : {}),
  },
  redis: {
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
  },
  rabbitmq: {
    host: process.env.RABBITMQ_HOST ?? '127.0.0.1',
    port: Number(process.env.RABBITMQ_PORT ?? 5672),
  },
};

export const rabbitUrl =
  process.env.RABBITMQ_URL ??
  `amqp://guest:guest@${services.rabbitmq.host}:${services.rabbitmq.port}`;

/** When set, a missing service fails the quick run instead of being left out with a notice. */
export const requireServices = process.env.PLUMBLINE_REQUIRE_SERVICES === '1';

/** True when something accepts TCP connections at host:port within `timeoutMs`. */
export function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
