import net from 'node:net';

/** Cluster bus ports are port + 10000; keep them below Linux's ephemeral range (32768+). */
export const BUS_PORT_OFFSET = 10000;
const LOW = 12000;
const HIGH = 22000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    // 0.0.0.0 conflicts with a listener on any local address, so the port is free on every loopback "host".
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const handedOut = new Set<number>();

/** A port whose bus port is free too. Random start so parallel test workers rarely collide; callers retry if they do. */
export async function freeNodePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (handedOut.has(port)) continue;
    if ((await canBind(port)) && (await canBind(port + BUS_PORT_OFFSET))) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port pair found in ${LOW}-${HIGH}`);
}
