'use client';

import { useQuery } from '@tanstack/react-query';
import { linksQuery } from '@/lib/client/queries';
import { configUnavailable } from '@/lib/cluster/configCommand';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatBytes } from '@/lib/format';
import { configUnavailableText } from '@/lib/nodeConfig/diff';
import { notPermittedText, OPTIONAL_COMMANDS } from '@/lib/redis/refusal';
import { RawSection } from './RawSection';

/**
 * The node's cluster-* settings (from the poller's periodic CONFIG GET) and its cluster bus links: raw sections,
 * collapsed, each with a line saying what is inside. The links are read while collapsed too, so the line is right.
 */
export function NodeClusterPanels({
  clusterId,
  node,
  peers,
  user,
}: {
  clusterId: string;
  node: SnapshotNode;
  peers: Map<string, string>;
  /** The ACL user the dashboard polls as, for "not permitted for user X". */
  user?: string;
}) {
  const links = useQuery(linksQuery(clusterId, node.id));
  // clusterConfig also carries `save` (for the persistence finding): this panel lists the cluster-* settings.
  const config = Object.entries(node.clusterConfig ?? {})
    .filter(([key]) => key.startsWith('cluster-'))
    .sort(([a], [b]) => a.localeCompare(b));
  const refusedConfig = node.refused?.find((r) => r.command === OPTIONAL_COMMANDS.config.acl);
  const unavailable = configUnavailable(node);
  const configRefusal = unavailable
    ? configUnavailableText(unavailable)
    : refusedConfig
      ? `${notPermittedText({ user: user ?? 'default', command: refusedConfig.command })}${refusedConfig.reason === 'not permitted' ? '' : ` (${refusedConfig.reason})`}`
      : undefined;
  const timeout = node.clusterConfig?.['cluster-node-timeout'];
  const configLine = unavailable
    ? `CONFIG ${unavailable} on this node${config.length ? `; ${config.length} cluster-* settings from an earlier read` : ''}`
    : config.length === 0
      ? configRefusal
        ? 'not permitted'
        : 'not read yet'
      : `${config.length} cluster-* settings${timeout ? `; cluster-node-timeout ${timeout} ms` : ''}`;
  const linkList = links.data?.links ?? [];
  const linksLine = links.data?.notPermitted
    ? 'not permitted'
    : links.data?.error
      ? links.data.error
      : links.data
        ? `${linkList.length} links (${linkList.filter((l) => l.direction === 'to').length} to, ${linkList.filter((l) => l.direction === 'from').length} from peers)`
        : links.error
          ? 'not read'
          : 'reading…';
  return (
    <>
      <RawSection id="config" title="Cluster configuration" line={configLine}>
        <section data-testid="node-config">
          {unavailable && config.length > 0 && (
            <p className="text-sm text-warn" data-testid="node-config-missing">
              {configRefusal} (the values below are from an earlier read)
            </p>
          )}
          {config.length === 0 ? (
            <p className="text-sm text-muted" data-testid="node-config-missing">
              {configRefusal ?? 'Not read yet (CONFIG GET runs every 30 s).'}
            </p>
          ) : (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm">
              {config.map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="text-muted">{key}</dt>
                  <dd className="font-mono">{value === '' ? '""' : value}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      </RawSection>
      <RawSection id="links" title="Cluster bus links" line={linksLine}>
        <section data-testid="node-links">
          {links.error && <p className="text-sm text-crit">{links.error.message}</p>}
          {links.data?.error && <p className="text-sm text-muted">{links.data.error}</p>}
          {links.data?.notPermitted && (
            <p className="text-sm text-warn" data-testid="links-not-permitted">
              {notPermittedText(links.data.notPermitted)}
            </p>
          )}
          {links.data && links.data.links.length > 0 && (
            <table className="tabular w-full text-left text-xs">
              <thead className="text-muted">
                <tr>
                  <th className="pr-2">direction</th>
                  <th className="pr-2">peer</th>
                  <th className="pr-2">events</th>
                  <th className="pr-2 text-right">send buffer</th>
                  <th className="text-right">since (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {links.data.links.map((l) => (
                  <tr key={`${l.direction}-${l.node}`} className="border-t border-border">
                    <td className="pr-2">{l.direction}</td>
                    <td className="pr-2">{peers.get(l.node) ?? l.node.slice(0, 8)}</td>
                    <td className="pr-2">{l.events}</td>
                    <td className="pr-2 text-right">
                      {formatBytes(l.sendBufferUsed)} / {formatBytes(l.sendBufferAllocated)}
                    </td>
                    <td className="text-right">{new Date(l.createTime).toISOString().slice(11, 19)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </RawSection>
    </>
  );
}
