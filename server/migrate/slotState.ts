import 'server-only';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { rangeContains } from '@/lib/redis/slots';
import { type MigrationConnections, text } from './connections';
import { MigrationError } from './errors';

async function ownLine(
  conns: MigrationConnections,
  id: string,
): Promise<{ own: ClusterNodeLine; all: ClusterNodeLine[] }> {
  let reply: unknown;
  try {
    reply = await conns.call(id, 'control', ['CLUSTER', 'NODES']);
  } catch (err) {
    throw new MigrationError(
      'no_reply',
      `cannot read CLUSTER NODES from ${conns.node(id).connectAddr}: ${conns.describe(err)}`,
    );
  }
  const all = parseClusterNodes(text(reply));
  const own = all.find((l) => l.myself);
  if (!own) throw new MigrationError('no_reply', `${conns.node(id).connectAddr} did not list itself`);
  return { own, all };
}

export interface OwnViews {
  /** Each master's own line (slots it owns, its migrating/importing markers), by id. */
  lines: Map<string, ClusterNodeLine>;
  /**
   * Markers found on replicas and not on their master: Valkey 8 replicates SETSLOT to replicas before the master
   * applies it, so a SETSLOT cut short (the dashboard died while it waited) can leave one there. slot -> master ids.
   */
  replicaOnly: Map<number, Set<string>>;
}

/** The masters' own views, and what their replicas (that answer) add. */
export async function readOwnLines(conns: MigrationConnections, masterIds: Iterable<string>): Promise<OwnViews> {
  const lines = new Map<string, ClusterNodeLine>();
  const replicaOnly = new Map<number, Set<string>>();
  await Promise.all(
    [...new Set(masterIds)].map(async (id) => {
      const { own, all } = await ownLine(conns, id);
      lines.set(id, own);
      const marked = new Set([...own.migrating, ...own.importing].map((m) => m.slot));
      const replicas = all.filter((l) => l.masterId === id && !l.flags.includes('fail') && l.port > 0);
      await Promise.all(
        replicas.map(async (replica) => {
          const view = await ownLine(conns, replica.id).catch(() => undefined);
          for (const m of [...(view?.own.migrating ?? []), ...(view?.own.importing ?? [])]) {
            if (marked.has(m.slot)) continue;
            const set = replicaOnly.get(m.slot) ?? new Set<string>();
            set.add(id);
            replicaOnly.set(m.slot, set);
          }
        }),
      );
    }),
  );
  return { lines, replicaOnly };
}

/** Where a slot stands between its planned source S and target T, from their own views. */
export interface SlotSituation {
  /** Who owns it: T as soon as T's own view says so (S may not have been told yet). */
  owner: 'source' | 'target';
  /** S's own view still lists the slot. */
  sourceClaims: boolean;
  sourceMigrating: boolean;
  targetImporting: boolean;
  /** A move back T -> S is open (a roll back was interrupted). */
  targetMigrating: boolean;
  sourceImporting: boolean;
}

export function situationOf(
  slot: number,
  sourceId: string,
  targetId: string,
  source: ClusterNodeLine,
  target: ClusterNodeLine,
): SlotSituation {
  const sourceClaims = rangeContains(source.slots, slot);
  const targetOwns = rangeContains(target.slots, slot);
  const migratingOf = (line: ClusterNodeLine) => line.migrating.find((m) => m.slot === slot)?.to;
  const importingOf = (line: ClusterNodeLine) => line.importing.find((m) => m.slot === slot)?.from;
  for (const [line, other] of [
    [source, targetId],
    [target, sourceId],
  ] as const) {
    const to = migratingOf(line);
    const from = importingOf(line);
    if ((to && to !== other) || (from && from !== other))
      throw new MigrationError(
        'conflict',
        `slot ${slot} is open towards another node on ${line.host}:${line.port} (${to ? `migrating to ${to.slice(0, 8)}` : `importing from ${from?.slice(0, 8)}`})`,
        slot,
      );
  }
  if (!targetOwns && !sourceClaims)
    throw new MigrationError(
      'conflict',
      `slot ${slot} is owned by neither ${source.host}:${source.port} nor ${target.host}:${target.port} (by their own views)`,
      slot,
    );
  return {
    owner: targetOwns ? 'target' : 'source',
    sourceClaims,
    sourceMigrating: migratingOf(source) === targetId,
    targetImporting: importingOf(target) === sourceId,
    targetMigrating: migratingOf(target) === sourceId,
    sourceImporting: importingOf(source) === targetId,
  };
}

/** Some node keeps a migrating/importing marker, or both claim the slot: `redis-cli --cluster check` calls it open. */
export function isOpen(s: SlotSituation): boolean {
  return (
    s.sourceMigrating ||
    s.targetImporting ||
    s.targetMigrating ||
    s.sourceImporting ||
    (s.owner === 'target' && s.sourceClaims)
  );
}
