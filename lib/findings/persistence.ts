import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { formatAge, formatCount } from '../format';
import { lastSaveAgeSec, type NodePersistence } from '../redis/persistence';
import { nodeName } from './describe';
import type { Finding, FindingOptions } from './types';

const names = (nodes: SnapshotNode[]) => nodes.map(nodeName).join(', ');
const LOG_HINT =
  "Read the node's log (the lines around the error): a full disk, a dir the server cannot write to, or a failed fork (memory).";

/**
 * Whether RDB snapshots are meant to run on this node. CONFIG GET save (read with the cluster-* config) answers it:
 * `save ""` is RDB off on purpose. Without it (CONFIG refused or renamed): AOF on means AOF is the persistence; else
 * RDB counts as in use once the node has started an RDB save since it started (rdb_saves, rdb_last_bgsave_time_sec):
 * a node with save points and writes saves within the hour, a node that never saved is taken as persistence off.
 */
export function rdbInUse(node: Pick<SnapshotNode, 'clusterConfig'>, p: NodePersistence): boolean {
  const savePoints = node.clusterConfig?.save;
  if (savePoints !== undefined) return savePoints.trim() !== '';
  if (p.aofEnabled) return false;
  return (p.saves ?? 0) > 0 || p.lastBgsaveSeconds !== undefined;
}

interface Failure {
  code: string;
  field: string;
  what: string;
  failed: (p: NodePersistence) => boolean;
  action: string;
}

const FAILURES: Failure[] = [
  {
    code: 'rdb_save_failed',
    field: 'rdb_last_bgsave_status:err',
    what: 'The last RDB save failed',
    failed: (p) => p.lastBgsaveStatus === 'err',
    action: `${LOG_HINT} A master with save points refuses writes (MISCONF) while stop-writes-on-bgsave-error is yes. Fix the cause, then run BGSAVE: the error clears once a save succeeds.`,
  },
  {
    code: 'aof_write_failed',
    field: 'aof_last_write_status:err',
    what: 'Writing the AOF failed',
    failed: (p) => p.aofEnabled && p.aofLastWriteStatus === 'err',
    action: `${LOG_HINT} The node refuses writes until the AOF can be written again.`,
  },
  {
    code: 'aof_rewrite_failed',
    field: 'aof_last_bgrewrite_status:err',
    what: 'The last AOF rewrite failed',
    failed: (p) => p.aofLastRewriteStatus === 'err',
    action: `${LOG_HINT} The AOF keeps growing until a rewrite succeeds; fix the cause, then run BGREWRITEAOF.`,
  },
];

/** The codes persistenceFindings emits: the only findings the Persistence table marks a row for. */
export const PERSISTENCE_FINDING_CODES: ReadonlySet<string> = new Set([
  ...FAILURES.map((f) => f.code),
  'rdb_save_stale',
]);

/** Nodes with a persistence finding (warning or worse); a node's other findings say nothing about its saves. */
export function persistenceHighlights(findings: readonly Finding[]): Set<string> {
  return new Set(
    findings.filter((f) => f.severity !== 'info' && PERSISTENCE_FINDING_CODES.has(f.code)).flatMap((f) => f.nodeIds),
  );
}

/** Failed saves (critical: writes since the last good save are on no disk) and stale RDB saves (warning). */
export function persistenceFindings(snapshot: ClusterSnapshot, options: FindingOptions): Finding[] {
  const nowSec = Math.floor(Date.parse(snapshot.collectedAt) / 1000);
  const withState = snapshot.nodes.flatMap((node) =>
    node.reachable && node.info?.persistence ? [{ node, p: node.info.persistence }] : [],
  );
  const findings: Finding[] = [];
  for (const failure of FAILURES) {
    const nodes = withState.filter(({ p }) => failure.failed(p)).map(({ node }) => node);
    if (!nodes.length) continue;
    findings.push({
      code: failure.code,
      severity: 'critical',
      nodeIds: nodes.map((n) => n.id),
      message: `${failure.what} on ${names(nodes)} (${failure.field}).`,
      action: failure.action,
      headline: `${failure.what} on ${nodes.length === 1 ? names(nodes) : `${nodes.length} nodes`}`,
    });
  }
  const stale = withState.filter(({ node, p }) => {
    if (!rdbInUse(node, p) || p.bgsaveInProgress || p.lastBgsaveStatus === 'err') return false;
    const age = lastSaveAgeSec(p, nowSec);
    return (p.changesSinceLastSave ?? 0) > 0 && age !== undefined && age > options.staleSaveSec;
  });
  if (stale.length) {
    const detail = stale
      .map(({ node, p }) => {
        const age = (lastSaveAgeSec(p, nowSec) ?? 0) * 1000;
        return `${nodeName(node)}: last save ${formatAge(age)}, ${formatCount(p.changesSinceLastSave ?? 0)} changes since`;
      })
      .join('; ');
    findings.push({
      code: 'rdb_save_stale',
      severity: 'warning',
      nodeIds: stale.map(({ node }) => node.id),
      message: `No RDB save for over ${formatAge(options.staleSaveSec * 1000).replace(' ago', '')} while writes wait on disk: ${detail}.`,
      action:
        "Check the save points (CONFIG GET save) and the node's log; BGSAVE… (Persistence, on the cluster page) takes a snapshot now.",
    });
  }
  return findings;
}
