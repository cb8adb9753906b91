import 'server-only';
import { SentinelFailoverError } from './failoverErrors';
import type { Follow } from './failoverFollow';

const AGREE_MIN_MS = 30_000;
/** Once a majority agrees, how long the silent sentinels get to answer before the step ends partial. */
const SILENT_GRACE_MS = 3000;
const HAPROXY_MS = 20_000;
/** Stats unreadable this long in a row: HAProxy is not answering; the wait ends early (nothing to watch). */
const HAPROXY_UNREADABLE_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every configured sentinel (not only those answering) is asked GET-MASTER-ADDR-BY-NAME and for the failover flag.
 * Done when all name the new master and none is still failing over; done but partial (the silent ones named) when a
 * majority of all configured sentinels agree and the rest do not answer; failed without a majority by the failover
 * timeout (Sentinel's own bound on reconfiguring the replicas).
 */
export async function sentinelsAgree(f: Follow, newMaster: string, failoverEndAt: number): Promise<void> {
  const { links, handle, result } = f;
  const step = 'every sentinel names the new master';
  const all = f.ctx.deployment.sentinels;
  const majority = Math.floor(all.length / 2) + 1;
  handle.step(step, 'running');
  const until = Math.max(Date.now() + AGREE_MIN_MS, failoverEndAt);
  let detail = '';
  let majoritySince: number | undefined;
  while (Date.now() < until) {
    const named = await Promise.all(all.map((s) => links.masterOf(s).catch(() => undefined)));
    // The leader names the new master once it reconfigures the replicas; its failover ends after them.
    const flags = await Promise.all(all.map((s) => links.masterFlags(s).catch((): string[] => [])));
    const busy = all.filter((_, i) => flags[i]?.includes('failover_in_progress'));
    const silent = all.filter((_, i) => named[i] === undefined);
    // nil to GET-MASTER-ADDR-BY-NAME: it does not monitor this master name. Like a silent one, never a vote elsewhere.
    const notMonitoring = all.filter((_, i) => named[i] === null);
    const others = all.filter((_, i) => typeof named[i] === 'string' && named[i] !== newMaster);
    const agreeing = all.filter((_, i) => named[i] === newMaster).length;
    const unheard = [...silent, ...notMonitoring];
    detail = all
      .map((s, i) => `${s} → ${named[i] === null ? 'not monitoring this master (nil)' : (named[i] ?? 'no answer')}`)
      .join(' · ');
    if (busy.length > 0) detail += ` · failover still in progress on ${busy.join(', ')} (replicas being reconfigured)`;
    handle.step(step, 'running', detail);
    const settled = others.length === 0 && busy.length === 0 && agreeing >= majority;
    if (settled && unheard.length === 0) {
      result.sentinelsAgreeing = agreeing;
      result.timings.switchedMs = f.ms();
      handle.step(step, 'done', `${agreeing} of ${all.length} name ${newMaster} (GET-MASTER-ADDR-BY-NAME)`);
      return;
    }
    majoritySince = settled ? (majoritySince ?? Date.now()) : undefined;
    if (majoritySince !== undefined && Date.now() - majoritySince >= SILENT_GRACE_MS) {
      result.sentinelsAgreeing = agreeing;
      result.sentinelsSilent = silent;
      result.timings.switchedMs = f.ms();
      const missing = [
        ...(silent.length > 0 ? [`no answer from ${silent.join(', ')}`] : []),
        ...(notMonitoring.length > 0
          ? [`${notMonitoring.join(', ')} not monitoring ${f.ctx.deployment.masterName} (nil)`]
          : []),
      ];
      handle.step(
        step,
        'done',
        `partial: ${agreeing} of ${all.length} name ${newMaster} (a majority); ${missing.join('; ')}`,
      );
      if (silent.length > 0)
        result.notes.push(`Sentinels not heard after the failover: ${silent.join(', ')}; check them on the page.`);
      if (notMonitoring.length > 0)
        result.notes.push(
          `Sentinels not monitoring ${f.ctx.deployment.masterName} (GET-MASTER-ADDR-BY-NAME answers nil): ${notMonitoring.join(', ')}; they take no part in its failovers.`,
        );
      return;
    }
    await f.events.next(200);
  }
  handle.step(step, 'failed', detail);
  throw new SentinelFailoverError(
    `fewer than a majority (${majority} of ${all.length}) of the sentinels name ${newMaster}, or some still name another: ${detail}`,
  );
}

/**
 * Whether HAProxy routes to the new master alone, read from its stats. Reached only once the failover is done (the
 * promoted replica is master, every sentinel names it), so a HAProxy that does not answer its stats (for
 * HAPROXY_UNREADABLE_MS) or does not route there alone (for HAPROXY_MS) never fails the job: a retry would fail the
 * master back. The step ends skipped with "unverified: …" (the job model has no warned state), the result carries
 * haproxyUnverified and a note saying the master changed.
 */
export async function haproxyRoutes(f: Follow, newMaster: string): Promise<void> {
  const { handle, result } = f;
  const step = 'HAProxy routes to the new master only';
  const until = Date.now() + HAPROXY_MS;
  let detail = '';
  let why = '';
  let unreadableSince: number | undefined;
  while (Date.now() < until) {
    const snapshot = await f.ctx.snapshots.fresh();
    const haproxy = snapshot.haproxy;
    if (!haproxy) return handle.step(step, 'skipped', 'no HAProxy configured for this deployment');
    const routed = haproxy.servers.filter((s) => s.routed).map((s) => s.nodeAddr ?? s.addr ?? s.name);
    if (haproxy.reachable) {
      unreadableSince = undefined;
      detail = `${haproxy.backend}: ${haproxy.servers.map((s) => `${s.nodeAddr ?? s.name} ${s.status}`).join(' · ')}`;
      why = `it routes to ${routed.length > 0 ? routed.join(', ') : 'no server'}, not to ${newMaster} alone, after ${HAPROXY_MS / 1000} s (${detail})`;
    } else {
      unreadableSince ??= Date.now();
      detail = `HAProxy stats unreadable: ${haproxy.error ?? 'no answer'}`;
      why = `its stats do not answer (${haproxy.error ?? 'no answer'}); clients going through it may have no path to Redis`;
    }
    handle.step(step, 'running', detail);
    if (haproxy.reachable && routed.length === 1 && routed[0] === newMaster) {
      result.haproxyRouted = routed;
      result.timings.haproxyMs = f.ms();
      handle.step(step, 'done', detail);
      return;
    }
    if (unreadableSince !== undefined && Date.now() - unreadableSince >= HAPROXY_UNREADABLE_MS) break;
    await sleep(250);
  }
  result.haproxyUnverified = why;
  result.timings.haproxyMs = f.ms();
  result.notes.push(
    `The master changed to ${newMaster}; HAProxy's routing could not be verified: ${why}. Check HAProxy itself (process, stats, health check): another failover would move the master again, not fix the routing.`,
  );
  handle.step(step, 'skipped', `unverified: ${why}`);
}
