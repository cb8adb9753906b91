import 'server-only';
import type { ResolvedSentinel } from '../config/load';
import { SentinelPoller } from './poller';

/** Whether a reload changed anything the poller uses (every field: credentials, TLS, natMap, haproxy, timings). */
function sameDeployment(a: ResolvedSentinel, b: ResolvedSentinel): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Makes `pollers` match the config's Sentinel deployments: a new one gets a started poller, a changed one's is stopped
 * and replaced, a removed one's stopped. A deployment a job of this process runs on (`busy`: the guided failover reads
 * its poller) keeps its poller until the job ends. Returns the ids by what happened, as syncPollers does for clusters.
 */
export function syncSentinelPollers(
  pollers: Map<string, SentinelPoller>,
  deployments: readonly ResolvedSentinel[],
  busy: ReadonlySet<string> = new Set(),
): { started: string[]; stopped: string[]; replaced: string[]; deferred: string[] } {
  const sync = { started: [] as string[], stopped: [] as string[], replaced: [] as string[], deferred: [] as string[] };
  const wanted = new Map(deployments.map((d) => [d.id, d]));
  for (const [id, poller] of pollers) {
    const next = wanted.get(id);
    if (next && sameDeployment(poller.deployment, next)) continue;
    if (busy.has(id)) {
      sync.deferred.push(id);
      continue;
    }
    poller.stop();
    pollers.delete(id);
    if (next) {
      const replacement = new SentinelPoller(next);
      replacement.start();
      pollers.set(id, replacement);
      sync.replaced.push(id);
    } else sync.stopped.push(id);
  }
  for (const deployment of deployments) {
    if (pollers.has(deployment.id)) continue;
    const poller = new SentinelPoller(deployment);
    poller.start();
    pollers.set(deployment.id, poller);
    sync.started.push(deployment.id);
  }
  return sync;
}
