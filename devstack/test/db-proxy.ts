// A TCP proxy in front of the test stack's Postgres for tests that need the database to go away
// and come back without restarting the cluster other tests use.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A FATAL ErrorResponse with SQLSTATE 57P03, as Postgres sends it while starting up. */
const startingUp = (() => {
  const fields = Buffer.from('SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0', 'latin1');
  const head = Buffer.alloc(5);
  head.write('E', 0, 'latin1');
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
})();

/**
 * A TCP proxy to Postgres that can play a restart: while down, every open connection is cut and
 * each new one is dropped (or refused as by a starting server) as soon as it has said who it is. It records the application_name of
 * every connection attempt (from the startup message), so retries can be counted per client.
 */
export class RestartableProxy {
  private server?: Server;
  private pairs = new Set<[Socket, Socket]>();
  private refusing: false | 'cut' | 'starting' = false;
  /** Local ports of the proxy's connections to Postgres: pg_stat_activity's client_port. */
  readonly upstreamPorts = new Set<number>();
  /** The application_name of each connection attempt, in order. */
  readonly attempts: string[] = [];

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return (this.server!.address() as { port: number }).port;
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      client.on('error', () => {});
      client.once('data', (startup: Buffer) => {
        this.attempts.push(/application_name\0([^\0]*)\0/.exec(startup.toString('latin1'))?.[1] ?? '');
        if (this.refusing === 'starting') client.end(startingUp);
        else if (this.refusing) client.destroy();
      });
      if (this.refusing) return;
      const upstream = createConnection(this.target);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      upstream.on('connect', () => this.upstreamPorts.add(upstream.localPort!));
      const drop = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      for (const s of pair) s.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /**
   * Takes the database away: open connections are cut; new ones are cut too ('cut', like a
   * server going down) or refused the way a starting server refuses them ('starting': FATAL
   * 57P03 "the database system is starting up").
   */
  down(how: 'cut' | 'starting' = 'cut'): void {
    this.refusing = how;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  up(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.down();
    await new Promise<void>((r) => this.server?.close(() => r()));
  }
}

/** `url` (a postgres:// URL) with its port moved to the proxy's. */
export function viaProxy(url: string, proxy: RestartableProxy): string {
  const u = new URL(url);
  u.port = String(proxy.port);
  return u.toString();
}
