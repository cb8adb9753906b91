import { formatClock, formatCount } from '@/lib/format';
import type { HaproxyReading } from '@/lib/sentinel/deploymentView';
import type { HaproxyView } from '@/lib/sentinel/types';

/** HAProxy prefixes a check status with "* " while that check is running: said in words, never a bare star. */
function checkWords(status: string | undefined): string {
  if (!status) return '–';
  return status.startsWith('* ') ? `${status.slice(2)} (check in progress)` : status;
}

/**
 * HAProxy's backend, one row per server: UP/DOWN as HAProxy says, whether clients are routed there, the check's own
 * status, and the node behind it. A route to a node that is not the sentinels' master stands out.
 */
export function HaproxyTable({
  haproxy,
  reading,
  masterAddr,
  stale,
}: {
  haproxy: HaproxyView | undefined;
  reading: HaproxyReading | undefined;
  masterAddr: string | undefined;
  stale: boolean;
}) {
  if (!haproxy || !reading)
    return (
      <p className="text-muted" data-testid="haproxy-none">
        No HAProxy configured for this deployment (add &quot;haproxy&quot; with statsSocket or statsUrl and the backend
        to see what clients are routed to).
      </p>
    );
  // Rows of an earlier read (the stats do not answer now) are history: greyed, never in status colours.
  const grey = stale || !reading.known;
  const crit = grey ? 'text-unknown' : 'text-crit';
  const ok = grey ? 'text-unknown' : 'text-ok';
  const from = haproxy.source === 'socket' ? 'stats socket' : 'stats CSV URL';
  // One server routed and its address not in the stats: neither agreeing nor wrong (haproxy_servers_unmatched).
  const unsure = reading.unmatched > 0 && reading.routed === 1 && !reading.rows.some((r) => r.wrongRoute);
  return (
    <div className="space-y-2">
      <p className="text-sm text-muted">
        backend <span className="font-semibold text-text">{haproxy.backend}</span>
        {reading.known && haproxy.backendStatus && (
          <>
            {' '}
            is <span className="font-semibold text-text">{haproxy.backendStatus}</span>
          </>
        )}{' '}
        · {haproxy.reachable ? `read from the ${from}` : `could not read the ${from}`} ·{' '}
        {reading.known ? (
          <span
            className={reading.agrees ? '' : `font-semibold ${unsure ? (grey ? 'text-unknown' : 'text-warn') : crit}`}
            data-testid="haproxy-routing"
            data-agrees={unsure ? 'unknown' : String(reading.agrees)}
          >
            {reading.routed === 1 ? 'routes to 1 server' : `routes to ${reading.routed} servers`}
            {reading.agrees
              ? ', the sentinels’ master'
              : reading.unmatched > 0
                ? ` — ${reading.unmatched === 1 ? 'one has' : `${reading.unmatched} have`} no address in the stats${masterAddr ? `; the sentinels name ${masterAddr}` : ''}`
                : masterAddr
                  ? ` — the sentinels name ${masterAddr}`
                  : ''}
          </span>
        ) : (
          <span className="font-semibold text-unknown" data-testid="haproxy-routing" data-agrees="unknown">
            <span aria-hidden="true">? </span>routing UNKNOWN
          </span>
        )}
      </p>
      {!haproxy.reachable && (
        <p
          className={`font-semibold ${stale ? 'text-unknown' : haproxy.lastOkAt ? 'text-crit' : 'text-warn'}`}
          data-testid="haproxy-unreachable"
        >
          <span aria-hidden="true">{haproxy.lastOkAt ? '✕ ' : '? '}</span>
          {haproxy.lastOkAt
            ? `HAProxy stopped answering${haproxy.failingSince ? ` at ${formatClock(new Date(haproxy.failingSince))}` : ''}: could not read the ${from}`
            : `Could not read HAProxy's ${from}`}
          {haproxy.error && <span className="font-normal text-muted"> ({haproxy.error})</span>}
        </p>
      )}
      {haproxy.reachable && haproxy.error && (
        <p className={`font-semibold ${stale ? 'text-unknown' : 'text-warn'}`} data-testid="haproxy-stats-error">
          <span aria-hidden="true">? </span>HAProxy answered, but what it routes is unknown: {haproxy.error} (check the
          backend name in the config).
        </p>
      )}
      {!reading.known && reading.rows.length > 0 && reading.lastOkAt && (
        <p className="text-xs text-muted" data-testid="haproxy-last-known">
          The table below is HAProxy&apos;s last answer, read at {formatClock(new Date(reading.lastOkAt))}: not the
          present.
        </p>
      )}
      <div className="overflow-x-auto">
        <table
          className={`tabular w-full text-left text-sm ${reading.known ? '' : 'text-unknown opacity-60'}`}
          data-testid="haproxy"
          data-last-known={String(!reading.known)}
        >
          <thead className="text-xs uppercase tracking-wider text-muted">
            <tr>
              <th className="py-1 pr-4">server</th>
              <th className="py-1 pr-4">HAProxy says</th>
              <th className="py-1 pr-4">routed</th>
              <th className="py-1 pr-4">check</th>
              <th className="py-1 pr-4">node behind it</th>
              <th className="py-1 pr-4">sessions</th>
            </tr>
          </thead>
          <tbody>
            {reading.rows.map(({ server, node, wrongRoute, unmatched }) => {
              const up = server.status.startsWith('UP') || server.status === 'no check';
              return (
                <tr
                  key={server.name}
                  className={`border-t border-border align-top ${wrongRoute && !grey ? 'bg-crit/10' : ''}`}
                  data-testid="haproxy-server"
                  data-name={server.name}
                  data-addr={server.addr ?? ''}
                  data-status={server.status}
                  data-routed={String(server.routed)}
                  data-wrong-route={String(wrongRoute)}
                  data-unmatched={String(unmatched)}
                >
                  <td className="py-1 pr-4">
                    <div className="font-semibold">{server.name}</div>
                    <div className="text-xs text-muted">{server.addr ?? '–'}</div>
                  </td>
                  <td className={`py-1 pr-4 font-semibold ${up ? ok : 'text-muted'}`}>
                    <span aria-hidden="true">{up ? '▲ ' : '▼ '}</span>
                    {server.status}
                    {server.backup && <span className="ml-1 font-normal text-muted">(backup)</span>}
                    {!up && node && node.addr !== masterAddr && node.role === 'replica' && (
                      <span className="block text-xs font-normal text-muted" data-testid="haproxy-down-expected">
                        expected: the check routes only to role:master
                      </span>
                    )}
                  </td>
                  <td
                    className={`py-1 pr-4 ${wrongRoute ? `font-bold ${crit}` : unmatched ? `font-semibold ${grey ? 'text-unknown' : 'text-warn'}` : server.routed ? 'font-semibold' : 'text-muted'}`}
                  >
                    {wrongRoute && <span aria-hidden="true">✕ </span>}
                    {unmatched && <span aria-hidden="true">? </span>}
                    {server.routed ? 'clients routed here' : 'not routed'}
                    {wrongRoute && <span className="block text-xs">not the sentinels&apos; master</span>}
                    {unmatched && (
                      <span className="block text-xs">
                        no address in the stats: whether it is the master is unknown
                      </span>
                    )}
                  </td>
                  <td className="max-w-[24rem] py-1 pr-4">
                    {checkWords(server.checkStatus)}
                    {server.checkDesc && (
                      <span className="block text-xs text-muted [overflow-wrap:anywhere]">{server.checkDesc}</span>
                    )}
                  </td>
                  <td className="py-1 pr-4">
                    {node ? (
                      <>
                        {node.addr === masterAddr ? 'the master' : 'a replica'}
                        <span className="block text-xs text-muted">
                          says {node.role ?? 'nothing (unreachable from here)'}
                        </span>
                      </>
                    ) : server.addr || server.nodeAddr ? (
                      <span className="text-warn">not a node of this deployment</span>
                    ) : (
                      <span className="text-muted">unknown: no address in the stats</span>
                    )}
                  </td>
                  <td className="py-1 pr-4">
                    {server.sessions === undefined ? '–' : formatCount(server.sessions)}
                    {server.totalSessions !== undefined && (
                      <span className="block text-xs text-muted">{formatCount(server.totalSessions)} in all</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
