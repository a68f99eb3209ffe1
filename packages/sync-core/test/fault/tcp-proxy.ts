// A TCP proxy on loopback that a fault test controls. It sits between worker processes and a
// service (PostgreSQL, Redis, RabbitMQ) and can cut every live connection with a reset, refuse
// new connections for a while, and delay every chunk in both directions.
import net from 'node:net';

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface FaultProxy {
  /** Loopback address the workers connect to instead of the service. */
  readonly host: string;
  readonly port: number;
  /** Resets every live connection (both sides); returns how many were cut. */
  cutAll(): number;
  /** Resets new connections as soon as they arrive, for the next `ms` (0: accept again). */
  refuseFor(ms: number): void;
  /** Holds every chunk this long before forwarding it (0: forward at once). */
  setDelay(ms: number): void;
  /** Live connections and how many were cut or refused so far. */
  stats(): { live: number; cut: number; refused: number };
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startFaultProxy(target: ProxyTarget): Promise<FaultProxy> {
  const pairs = new Set<Pair>();
  let refuseUntil = 0;
  let delayMs = 0;
  let cut = 0;
  let refused = 0;

  const reset = (socket: net.Socket) => {
    if (socket.destroyed) return;
    if (typeof socket.resetAndDestroy === 'function' && socket.readyState === 'open') {
      socket.resetAndDestroy();
    } else socket.destroy();
  };

  // Forwards chunks in order; with a delay, each chunk waits its turn behind the previous one.
  const forward = (from: net.Socket, to: net.Socket) => {
    let tail = Promise.resolve();
    from.on('data', (chunk) => {
      if (delayMs <= 0) {
        tail = tail.then(() => {
          if (!to.destroyed) to.write(chunk);
        });
        return;
      }
      const wait = delayMs;
      tail = tail.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              if (!to.destroyed) to.write(chunk);
              resolve();
            }, wait),
          ),
      );
    });
    from.on('end', () => {
      void tail.then(() => to.end());
    });
  };

  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (Date.now() < refuseUntil) {
      refused += 1;
      reset(client);
      return;
    }
    const upstream = net.connect({ host: target.host, port: target.port });
    upstream.on('error', () => {});
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      reset(client);
      reset(upstream);
    };
    client.on('close', drop);
    upstream.on('close', drop);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;

  return {
    host: '127.0.0.1',
    port: address.port,
    cutAll() {
      const live = [...pairs];
      for (const pair of live) {
        pairs.delete(pair);
        reset(pair.client);
        reset(pair.upstream);
      }
      cut += live.length;
      return live.length;
    },
    refuseFor(ms) {
      refuseUntil = Date.now() + ms;
    },
    setDelay(ms) {
      delayMs = Math.max(0, ms);
    },
    stats: () => ({ live: pairs.size, cut, refused }),
    async close() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        reset(pair.client);
        reset(pair.upstream);
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
