import 'server-only';
import type { ConfigSetNodeResult, ConfigSetResult } from '@/lib/jobs/types';
import type { ConfigSetPlanRow } from '@/lib/nodeConfig/setPlan';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import type { JobHandle } from '../jobs/registry';
import { forgetConfigDiff } from './configDiff';
import { JobConnections } from './jobConnections';

const READY_MS = 2000;
const ROLLBACK = 'roll back the nodes already changed';
const REWRITE = 'CONFIG REWRITE on every node';

export const setStep = (row: Pick<ConfigSetPlanRow, 'addr' | 'role'>) => `CONFIG SET on ${row.addr} (${row.role})`;

/**
 * CONFIG SET on each node in turn (masters first), on the job's own connections. A node that refuses (or a cancel)
 * ends it: every node changed so far, that one included, gets its old values back, and the job fails naming the node
 * and its error. CONFIG REWRITE runs only once every node took the values; a node without a config file is noted.
 */
export async function runConfigSet(
  poller: ClusterPoller,
  handle: JobHandle<ConfigSetResult>,
  rows: readonly ConfigSetPlanRow[],
  rewrite: boolean,
): Promise<ConfigSetResult> {
  const started = Date.now();
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const describe = (err: unknown) => describeNodeError(err, secrets);
  handle.plan([...rows.map(setStep), ...(rewrite ? [REWRITE] : [])]);
  const conns = new JobConnections(poller);
  /** Node id -> the parameters set on it so far, with their old values. */
  const changed = new Map<string, Array<{ name: string; old: string }>>();
  const results: ConfigSetNodeResult[] = [];
  const send = async (row: ConfigSetPlanRow, name: string, value: string) => {
    const connection = conns.get(row.id);
    if (!connection) throw new Error('no connection (no address, or outside nodeNetworks)');
    await connection.ready(READY_MS);
    await connection.call('CONFIG', 'SET', name, value);
  };
  try {
    for (const row of rows) {
      const step = setStep(row);
      handle.step(step, 'running');
      try {
        if (handle.signal.aborted) throw new Error('cancelled by an operator');
        for (const change of row.changes) {
          await send(row, change.name, change.new);
          changed.set(row.id, [...(changed.get(row.id) ?? []), { name: change.name, old: change.old }]);
        }
      } catch (err) {
        const reason = describe(err);
        handle.step(step, 'failed', reason);
        const undone = await rollBack(handle, rows, changed, send, describe);
        throw new Error(`${row.addr} refused: ${reason}; ${undone}`);
      }
      handle.step(step, 'done', row.changes.map((c) => `${c.name} ${c.old} → ${c.new}`).join('; '));
      results.push({
        id: row.id,
        addr: row.addr,
        role: row.role,
        old: Object.fromEntries(row.changes.map((c) => [c.name, c.old])),
      });
    }
    if (rewrite) {
      handle.step(REWRITE, 'running');
      await Promise.all(
        results.map(async (result) => {
          try {
            const connection = conns.get(result.id);
            if (!connection) throw new Error('no connection');
            await connection.call('CONFIG', 'REWRITE');
            result.rewritten = true;
          } catch (err) {
            result.rewritten = false;
            const message = describe(err);
            result.note = /without a config file/i.test(message)
              ? 'set, not persisted: the node runs without a config file'
              : `set, not persisted: ${message}`;
          }
        }),
      );
      const notes = results.filter((r) => r.note);
      handle.step(
        REWRITE,
        'done',
        notes.length
          ? `${results.length - notes.length} rewritten; ${notes.map((r) => `${r.addr}: ${r.note}`).join('; ')}`
          : `${results.length} rewritten`,
      );
    }
    return {
      params: Object.fromEntries(rows[0]?.changes.map((c) => [c.name, c.new]) ?? []),
      nodes: results,
      ms: Date.now() - started,
    };
  } finally {
    conns.close();
    forgetConfigDiff(poller.cluster.id);
  }
}

/** Old values back on every node changed, newest first; "rolled back a, b" or which nodes kept the new value. */
async function rollBack(
  handle: JobHandle<ConfigSetResult>,
  rows: readonly ConfigSetPlanRow[],
  changed: Map<string, Array<{ name: string; old: string }>>,
  send: (row: ConfigSetPlanRow, name: string, value: string) => Promise<void>,
  describe: (err: unknown) => string,
): Promise<string> {
  if (changed.size === 0) return 'no node was changed';
  handle.step(ROLLBACK, 'running');
  const restored: string[] = [];
  const stuck: string[] = [];
  for (const [id, params] of [...changed.entries()].reverse()) {
    const row = rows.find((r) => r.id === id);
    if (!row) continue;
    try {
      for (const { name, old } of [...params].reverse()) await send(row, name, old);
      restored.push(row.addr);
    } catch (err) {
      stuck.push(`${row.addr} (${describe(err)})`);
    }
  }
  const text = `rolled back ${restored.length ? restored.join(', ') : 'no node'}${stuck.length ? `; NOT rolled back: ${stuck.join(', ')}` : ''}`;
  handle.step(ROLLBACK, stuck.length ? 'failed' : 'done', text);
  return text;
}
