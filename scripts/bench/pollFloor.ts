// The hand-written floor bench:snapshot compares the dashboard with: one plain ioredis connection per node, the
// commands the poller sends in a steady-state poll (server/collect/pollNode.ts STEADY_COMMANDS) pipelined, every
// node at once, replies not parsed.
import { Redis } from 'ioredis';
import { STEADY_COMMANDS } from '../../server/collect/pollCommands';

export class PollFloor {
  private readonly clients: Redis[];

  constructor(addrs: readonly string[], password?: string) {
    this.clients = addrs.map((addr) => {
      const colon = addr.lastIndexOf(':');
      const client = new Redis({
        host: addr.slice(0, colon),
        port: Number(addr.slice(colon + 1)),
        password,
        protocol: 2,
        enableReadyCheck: false,
        maxRetriesPerRequest: 0,
        disableClientInfo: true,
      });
      client.on('error', () => {});
      return client;
    });
  }

  /** One poll: every node's pipeline sent, every reply received. Throws when a node answered with an error. */
  async poll(): Promise<void> {
    await Promise.all(
      this.clients.map(async (client) => {
        const pipeline = client.pipeline();
        for (const command of STEADY_COMMANDS) pipeline.call(command[0], ...command.slice(1));
        const results = await pipeline.exec();
        for (const [err] of results ?? []) if (err) throw err;
      }),
    );
  }

  close(): void {
    for (const client of this.clients) client.disconnect();
  }
}
