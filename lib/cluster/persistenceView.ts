import { formatAge, formatCount } from '../format';
import { lastSaveAgeSec } from '../redis/persistence';
import type { SnapshotNode } from './types';

export type PersistenceTone = 'ok' | 'warn' | 'crit' | 'muted';

/** One node's RDB/AOF state in words, for the node page and the cluster's persistence table. */
export interface PersistenceLine {
  /** "save 3600 1 300 100", "off (save \"\")", or "not read" when CONFIG GET save was refused. */
  savePoints: string;
  /** "12 min ago", "saving now…", "never since start" */
  lastSave: string;
  /** "ok" / "FAILED" (rdb_last_bgsave_status) */
  rdbStatus: { text: string; tone: PersistenceTone };
  changesSince: string;
  /** "off", "on", "on — write FAILED", "on — rewrite FAILED" */
  aof: { text: string; tone: PersistenceTone };
  /** latest_fork_usec in ms, "–" when it never forked. */
  fork: string;
}

const forkText = (usec: number | undefined) =>
  usec === undefined ? '–' : usec < 10_000 ? `${(usec / 1000).toFixed(1)} ms` : `${formatCount(usec / 1000)} ms`;

/** Undefined when the node did not report INFO persistence (unreachable, or never polled). */
export function persistenceLine(
  node: Pick<SnapshotNode, 'info' | 'clusterConfig'>,
  collectedAt: string,
  nowMs: number,
): PersistenceLine | undefined {
  const p = node.info?.persistence;
  if (!p) return undefined;
  const save = node.clusterConfig?.save;
  const collectedMs = Date.parse(collectedAt);
  const ageSec = lastSaveAgeSec(p, Math.floor(collectedMs / 1000));
  const lastSave = p.bgsaveInProgress
    ? 'saving now…'
    : ageSec === undefined
      ? '–'
      : formatAge(ageSec * 1000 + Math.max(0, nowMs - collectedMs));
  const aofFailed =
    p.aofLastWriteStatus === 'err' ? 'write FAILED' : p.aofLastRewriteStatus === 'err' ? 'rewrite FAILED' : undefined;
  return {
    savePoints: save === undefined ? 'not read' : save.trim() === '' ? 'off (save "")' : `save ${save}`,
    lastSave,
    rdbStatus:
      p.lastBgsaveStatus === 'err' ? { text: 'FAILED', tone: 'crit' } : { text: p.lastBgsaveStatus ?? '–', tone: 'ok' },
    changesSince: p.changesSinceLastSave === undefined ? '–' : formatCount(p.changesSinceLastSave),
    aof: aofFailed
      ? { text: `${p.aofEnabled ? 'on' : 'off'} — ${aofFailed}`, tone: 'crit' }
      : {
          text: p.aofEnabled ? (p.aofRewriteInProgress ? 'on — rewriting…' : 'on') : 'off',
          tone: p.aofEnabled ? 'ok' : 'muted',
        },
    fork: forkText(p.latestForkUsec),
  };
}

/** The cluster's persistence in one line: failures first, then AOF and the oldest RDB save. */
export function persistenceSummary(
  nodes: Pick<SnapshotNode, 'info' | 'clusterConfig'>[],
  collectedAt: string,
  nowMs: number,
): string {
  const reporting = nodes.filter((n) => n.info?.persistence);
  if (!reporting.length) return 'No node reported its persistence state.';
  const failed = reporting.filter((n) => {
    const p = n.info?.persistence;
    return p?.lastBgsaveStatus === 'err' || p?.aofLastWriteStatus === 'err' || p?.aofLastRewriteStatus === 'err';
  }).length;
  const aof = reporting.filter((n) => n.info?.persistence?.aofEnabled).length;
  const rdbOff = reporting.filter((n) => n.clusterConfig?.save?.trim() === '').length;
  const collectedSec = Math.floor(Date.parse(collectedAt) / 1000);
  const oldest = Math.max(
    ...reporting.map((n) => (n.info?.persistence ? (lastSaveAgeSec(n.info.persistence, collectedSec) ?? 0) : 0)),
  );
  const parts = [
    failed ? `${failed} ${failed === 1 ? 'node has' : 'nodes have'} a FAILED save` : 'no failed save',
    `AOF on ${aof} of ${reporting.length}`,
    ...(rdbOff ? [`RDB off (save "") on ${rdbOff}`] : []),
    `oldest RDB save ${formatAge(oldest * 1000 + Math.max(0, nowMs - Date.parse(collectedAt)))}`,
  ];
  return `${parts.join(' · ')}.`;
}
