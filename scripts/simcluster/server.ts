// The simulator process: every simulated node is a TCP listener in this one process, answering RESP2 from the shared
// topology. Driven over the IPC channel by index.ts (startSimCluster); exits when its parent goes away.
import net from 'node:net';
import { ClusterViews } from './clusterText';
import { answer, type Session, type SimContext } from './commands';
import { InfoViews } from './infoText';
import type { SimClusterOptions, SimEnvelope, SimReply, SimRequest, SimResult } from './protocol';
import { error, ProtocolError, RequestParser, type Wire } from './resp';
import { type SimNode, SimTopology } from './topology';

interface Connection {
  socket: net.Socket;
  session: Session;
  parser: RequestParser;
  /** Commands that arrived while the node was hung, answered in order once it is not. */
  pending: string[][];
}

const stats = { commands: 0, connections: 0, bytesOut: 0 };
let nextClientId = 1;
let context: SimContext | undefined;
const servers = new Map<number, net.Server>();
const connections = new Map<number, Set<Connection>>();

function write(socket: net.Socket, reply: Wire) {
  if (Array.isArray(reply)) {
    for (const part of reply) {
      stats.bytesOut += part.length;
      socket.write(part);
    }
  } else {
    stats.bytesOut += reply.length;
    socket.write(reply);
  }
}

function serve(ctx: SimContext, node: SimNode, conn: Connection, commands: string[][]) {
  if (node.hung) {
    conn.pending.push(...commands);
    return;
  }
  conn.socket.cork();
  try {
    for (const args of commands) {
      stats.commands++;
      let reply: ReturnType<typeof answer>;
      try {
        reply = answer(ctx, node, conn.session, args);
      } catch (err) {
        // A simulator bug costs one error reply, never the process (and with it every simulated node).
        reply = error(`ERR simulator: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (reply === 'quit') {
        write(conn.socket, '+OK\r\n');
        conn.socket.end();
        return;
      }
      write(conn.socket, reply);
    }
  } finally {
    conn.socket.uncork();
  }
}

function accept(ctx: SimContext, node: SimNode, socket: net.Socket) {
  stats.connections++;
  socket.setNoDelay(true);
  const conn: Connection = {
    socket,
    session: {
      authed: ctx.password === undefined,
      name: undefined,
      id: nextClientId++,
      peer: `${socket.remoteAddress}:${socket.remotePort}`,
    },
    parser: new RequestParser(),
    pending: [],
  };
  let set = connections.get(node.index);
  if (!set) {
    set = new Set();
    connections.set(node.index, set);
  }
  set.add(conn);
  socket.on('data', (chunk: Buffer) => {
    let commands: string[][];
    try {
      commands = conn.parser.push(chunk);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      socket.end(error(`ERR ${err.message}`));
      return;
    }
    if (commands.length) serve(ctx, node, conn, commands);
  });
  socket.on('error', () => {});
  socket.on('close', () => set.delete(conn));
}

function listen(ctx: SimContext, node: SimNode): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => accept(ctx, node, socket));
    server.once('error', reject);
    server.listen(node.port, node.host, () => {
      server.off('error', reject);
      const address = server.address();
      if (address && typeof address === 'object') node.port = address.port;
      servers.set(node.index, server);
      resolve();
    });
  });
}

async function start(options: SimClusterOptions): Promise<SimContext> {
  if (context) throw new Error('the simulator is already started');
  const topology = new SimTopology(options);
  const version = options.version ?? '7.0.15';
  const maxmemory = options.maxmemoryBytes ?? 4 * 1024 ** 3;
  const ctx: SimContext = {
    topology,
    clusterViews: new ClusterViews(topology),
    infoViews: new InfoViews(topology, version, maxmemory),
    password: options.password,
    version,
    slowlogEntries: options.slowlogEntries ?? 3,
    maxmemory,
  };
  // Bound in batches: a thousand listen() calls at once is fine for the kernel, but keeps errors readable.
  for (let i = 0; i < topology.nodes.length; i += 100)
    await Promise.all(topology.nodes.slice(i, i + 100).map((node) => listen(ctx, node)));
  context = ctx;
  return ctx;
}

function setHung(ctx: SimContext, nodeId: string, on: boolean) {
  const node = ctx.topology.setHung(nodeId, on);
  if (on) return;
  for (const conn of connections.get(node.index) ?? []) {
    const pending = conn.pending.splice(0);
    if (pending.length) serve(ctx, node, conn, pending);
  }
}

async function setDown(ctx: SimContext, nodeId: string, on: boolean) {
  const node = ctx.topology.require(nodeId);
  if (on === node.down) return;
  if (on) {
    if (node.failure === 'ok') node.failedAt = Date.now();
    const server = servers.get(node.index);
    servers.delete(node.index);
    for (const conn of connections.get(node.index) ?? []) conn.socket.destroy();
    connections.delete(node.index);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    ctx.topology.setDown(nodeId, true);
  } else {
    await listen(ctx, node);
    ctx.topology.setDown(nodeId, false);
  }
}

async function handle(request: SimRequest): Promise<SimResult> {
  if (request.op === 'start') {
    const ctx = await start(request.options);
    return { op: 'nodes', nodes: ctx.topology.info() };
  }
  if (request.op === 'cpu') {
    const usage = process.cpuUsage();
    return { op: 'cpu', userMs: usage.user / 1000, systemMs: usage.system / 1000 };
  }
  if (request.op === 'stats') return { op: 'stats', stats: { ...stats } };
  const ctx = context;
  if (!ctx) throw new Error('the simulator is not started');
  switch (request.op) {
    case 'flag':
      ctx.topology.flag(request.nodeId, request.flag, request.options);
      break;
    case 'hang':
      setHung(ctx, request.nodeId, request.on);
      break;
    case 'down':
      await setDown(ctx, request.nodeId, request.on);
      break;
    case 'openSlot':
      ctx.topology.openSlot(request.slot, request.fromId, request.toId);
      break;
    case 'closeSlot':
      ctx.topology.closeSlot(request.slot);
      break;
    case 'nodes':
      break;
  }
  return { op: 'nodes', nodes: ctx.topology.info() };
}

process.on('message', (message: SimEnvelope) => {
  const reply = (body: SimReply) => process.send?.(body);
  handle(message.request).then(
    (result) => reply({ requestId: message.requestId, ok: true, result }),
    (err: unknown) =>
      reply({ requestId: message.requestId, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
