import type { Finding } from '../findings/types';
import { findingHeadline } from '../health/clusterHealth';
import type { GlanceHealth, MemoryGlance, ShardGlance } from '../overview/glance';
import { headlineDetail } from '../overview/glance';
import type { WallSnapshot } from '../overview/wallSnapshot';
import { failoverUnderWay } from './failoverState';
import { sentinelHealth } from './health';
import type { SentinelDataNode, SentinelSnapshot } from './types';

/** A data node as the tile's strip shows it: never by colour alone, always with this word. */
/** rogueMaster (additive, J): a node the sentinels call a replica that answers role:master itself (split brain). */
export type SentinelNodeState = 'up' | 'unreachable' | 'down' | 'lagging' | 'linkDown' | 'rogueMaster';

export interface SentinelNodeGlance {
  addr: string;
  /** As the sentinels place it: the master they name, every other node a replica (its own role may differ). */
  role: 'master' | 'replica';
  state: SentinelNodeState;
}

/** The wall's and overview card's view of a Sentinel deployment: the cluster WallSnapshot plus these fields. */
export interface SentinelWallSnapshot extends WallSnapshot {
  kind: 'sentinel';
  /** Sentinels that answered this poll, of the configured ones. */
  sentinelsUp: number;
  sentinelsTotal: number;
  /** HAProxy routes to exactly the sentinels' master; undefined when no haproxy is configured. */
  haproxyOk?: boolean;
  /** The master first, then the replicas. */
  nodes: SentinelNodeGlance[];
}

export const MASTER_COLOUR = '#4477AA';

function nodeState(
  node: SentinelDataNode,
  isMaster: boolean,
  findings: readonly Finding[],
  promoting: string | undefined,
): SentinelNodeState {
  // What the node says of itself beats the sentinels' placement when they contradict: never a green "replica". The
  // replica a failover under way promotes says master before every sentinel names it: that is the failover, not rogue.
  if (!isMaster && node.role === 'master' && node.addr !== promoting) return 'rogueMaster';
  if (node.sentinelFlags.includes('s_down') || node.sentinelFlags.includes('o_down')) return 'down';
  if (!node.reachable) return 'unreachable';
  if (node.linkUp === false) return 'linkDown';
  if (findings.some((f) => f.code === 'sentinel_replica_lagging' && f.nodeIds.includes(node.addr))) return 'lagging';
  return 'up';
}

function glanceHealth(findings: readonly Finding[], stale: boolean): GlanceHealth {
  const { health, headline, worst, critical, warning } = sentinelHealth(findings, { stale });
  return {
    health,
    headline,
    ...(worst ? { worst: { code: worst.code, severity: worst.severity, headline: findingHeadline(worst) } } : {}),
    critical,
    warning,
  };
}

/**
 * Built field by field (never a spread of the snapshot): health from the findings, data nodes counted as nodes, one
 * "shard" for the master (state up / suspected / down / unreachable), its memory and ops/s.
 */
export function sentinelWallSnapshot(
  snapshot: SentinelSnapshot & { ageMs: number; pollIntervalMs: number },
  findings: readonly Finding[],
  options: { stale?: boolean } = {},
): SentinelWallSnapshot {
  const health = glanceHealth(findings, options.stale === true);
  const master = snapshot.master;
  const dataNodes = [...(master ? [master] : []), ...snapshot.replicas];
  const shards: ShardGlance[] = master
    ? [
        {
          masterId: master.addr,
          addr: master.addr,
          color: MASTER_COLOUR,
          state: master.sentinelFlags.includes('o_down')
            ? 'down'
            : master.sentinelFlags.includes('s_down')
              ? 'suspected'
              : master.reachable
                ? 'up'
                : 'unreachable',
          slotCount: 0,
          slotLabel: 'master',
        },
      ]
    : [];
  const memory: MemoryGlance | undefined =
    master?.usedMemory !== undefined && master.maxMemory !== undefined && master.maxMemory > 0
      ? { used: master.usedMemory, max: master.maxMemory, ratio: master.usedMemory / master.maxMemory, masters: 1 }
      : undefined;
  const routed = snapshot.haproxy?.servers.filter((s) => s.routed) ?? [];
  const haproxyOk = snapshot.haproxy
    ? snapshot.haproxy.reachable &&
      !!master &&
      routed.length === 1 &&
      !findings.some((f) => f.code.startsWith('haproxy_'))
    : undefined;
  const promoting = failoverUnderWay(snapshot)?.to ?? undefined;
  return {
    kind: 'sentinel',
    clusterId: snapshot.clusterId,
    clusterName: snapshot.clusterName,
    collectedAt: snapshot.collectedAt,
    ageMs: snapshot.ageMs,
    pollIntervalMs: snapshot.pollIntervalMs,
    health,
    detail: headlineDetail(health),
    nodesUp: dataNodes.filter((n) => n.reachable).length,
    nodesKnown: dataNodes.length,
    nodesNotPolled: dataNodes.filter((n) => n.outsideNodeNetworks).length,
    masters: master ? 1 : 0,
    ...(memory ? { memory } : {}),
    opsPerSec: master?.reachable ? (master.opsPerSec ?? 0) : 0,
    shards,
    sentinelsUp: snapshot.agreement.reachable,
    sentinelsTotal: snapshot.agreement.total,
    ...(haproxyOk !== undefined ? { haproxyOk } : {}),
    nodes: dataNodes.map((n) => ({
      addr: n.addr,
      role: n === master ? 'master' : 'replica',
      state: nodeState(n, n === master, findings, promoting),
    })),
  };
}
