// `npm run demo -- --sentinel`: a Sentinel deployment beside the demo cluster (the seed's layout on the three loopback
// hosts), light traffic through HAProxy, and its entry for the dashboard's config.
import { randomBytes } from 'node:crypto';
import { startSentinelLossWriter } from './lossWriter';
import { type SentinelConfigEntry, startSentinelGroup } from './sentinelGroup';

export interface DemoSentinel {
  /** The "clusters" entry (kind sentinel); its secrets come from `env`. */
  entry: SentinelConfigEntry;
  /** The environment the dashboard needs for the entry's passwordEnv / sentinelPasswordEnv. */
  env: Record<string, string>;
  /** What started, one line each, for the demo's banner. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startDemoSentinel(): Promise<DemoSentinel> {
  const password = randomBytes(12).toString('base64url');
  const sentinelPassword = randomBytes(12).toString('base64url');
  // down-after 5 s: room for the guided failover's write pause (it must stay under down-after; see the README).
  const group = await startSentinelGroup({
    password,
    sentinelPassword,
    id: 'sentinel-demo',
    name: 'Sentinel demo',
    downAfterMs: 5000,
  });
  const haproxy = group.haproxy;
  if (!haproxy) throw new Error('the demo group starts HAProxy');
  // Light traffic; the keys expire, and the writer stops by itself after a day.
  const writer = startSentinelLossWriter({
    frontend: haproxy.frontendAddr,
    password,
    perSecond: 50,
    durationMs: 24 * 3600_000,
    prefix: 'demo:w:',
    expireSeconds: 3600,
    track: false,
  });
  const lines = [
    ...group.dataNodes.map((n) => `  ${n.initialRole.padEnd(8)} ${n.addr.padEnd(18)} pid ${n.pid}`),
    ...group.sentinels.map((s) => `  sentinel ${s.addr.padEnd(18)} pid ${s.pid}`),
    `  haproxy  ${haproxy.frontendAddr.padEnd(18)} pid ${haproxy.pid}  (stats ${haproxy.statsUrl})`,
  ];
  return {
    entry: group.configEntry({ passwordEnv: 'DEMO_SENTINEL_PASSWORD', sentinelPasswordEnv: 'DEMO_SENTINEL_AUTH' }),
    env: { DEMO_SENTINEL_PASSWORD: password, DEMO_SENTINEL_AUTH: sentinelPassword },
    lines,
    async stop() {
      await writer.stop().catch(() => undefined);
      await group.stop();
    },
  };
}
