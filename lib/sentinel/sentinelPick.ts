import { flagList, joinHostPort, numberField } from './replies';

/**
 * The replica one sentinel would promote, from its own SENTINEL MASTER and SENTINEL REPLICAS records (src/sentinel.c
 * sentinelSelectSlave, Redis 7.0 and Valkey 8): its flags, last-ok-ping-reply, slave-priority, info-refresh (0: never
 * refreshed), master-link-down-time against 10 x down-after (+ s-down-time while the master is s_down), then
 * slave-priority, slave-repl-offset and run-id. The dashboard's own offsets play no part.
 */
export interface SentinelPick {
  addr: string | null;
  /** Why it wins, or why none qualifies. */
  why: string;
}

export function sentinelPick(master: Record<string, string>, replicas: Record<string, string>[]): SentinelPick {
  const masterDown = flagList(master.flags).includes('s_down');
  const downAfter = numberField(master, 'down-after-milliseconds') ?? 30_000;
  const maxLinkDown = downAfter * 10 + (masterDown ? (numberField(master, 's-down-time') ?? 0) : 0);
  const infoValidity = masterDown ? 5000 : 30_000;
  const skipped: string[] = [];
  const ok = replicas.flatMap((r) => {
    const addr = r.ip && r.port ? joinHostPort(r.ip, r.port) : undefined;
    if (!addr) return [];
    const flags = flagList(r.flags);
    const priority = numberField(r, 'slave-priority') ?? 100;
    const refresh = numberField(r, 'info-refresh');
    const why = flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected')
      ? `flagged ${flags.join(',')}`
      : (numberField(r, 'last-ok-ping-reply') ?? 0) > 5000
        ? 'last valid PING reply over 5 s ago'
        : priority === 0
          ? 'slave-priority 0'
          : refresh === undefined || refresh === 0 || refresh > infoValidity
            ? `info-refresh ${refresh ?? '?'} ms (never, or over ${infoValidity} ms)`
            : (numberField(r, 'master-link-down-time') ?? 0) > maxLinkDown
              ? `master link down over ${maxLinkDown} ms`
              : undefined;
    if (why) {
      skipped.push(`${addr}: ${why}`);
      return [];
    }
    return [{ addr, priority, offset: numberField(r, 'slave-repl-offset') ?? 0, runId: r['run-id'] }];
  });
  ok.sort((a, b) => {
    if (a.priority !== b.priority) return a.priority - b.priority;
    if (a.offset !== b.offset) return b.offset - a.offset;
    if (!a.runId || !b.runId) return a.runId === b.runId ? 0 : a.runId ? -1 : 1;
    return a.runId.toLowerCase() < b.runId.toLowerCase() ? -1 : a.runId.toLowerCase() > b.runId.toLowerCase() ? 1 : 0;
  });
  const [best, next] = ok;
  if (!best)
    return { addr: null, why: skipped.length > 0 ? `none qualifies: ${skipped.join('; ')}` : 'it lists no replica' };
  const tail = skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '';
  return {
    addr: best.addr,
    why: next
      ? `priority ${best.priority}, offset ${best.offset} in its own view (next ${next.addr}: priority ${next.priority}, offset ${next.offset})${tail}`
      : `the only replica it may promote (offset ${best.offset})${tail}`,
  };
}
