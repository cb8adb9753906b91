import { formatAge, formatMs } from '@/lib/format';
import { agreementSentence, failoverVote, type SentinelRow } from '@/lib/sentinel/deploymentView';
import { quorumCheck } from '@/lib/sentinel/quorumFindings';
import type { SentinelSnapshot, SentinelView } from '@/lib/sentinel/types';

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** Flags worth a word: the master's state in this sentinel's view (not the plain "master"). */
const FLAG_WORDS = new Set(['s_down', 'o_down', 'failover_in_progress', 'promoted', 'disconnected', 'master_down']);

/**
 * One sentinel's CKQUORUM as the quorum findings read it: ✓ passes; ✕ NOQUORUM (red); not monitoring this master
 * (amber); refused (NOPERM, renamed command): "not checked", grey, never a failure.
 */
function CkquorumWords({ view, crit, stale }: { view: SentinelView; crit: string; stale: boolean }) {
  const check = quorumCheck(view);
  const message = <span className="[overflow-wrap:anywhere]">{view.ckquorum?.message}</span>;
  if (check === 'pass')
    return (
      <span>
        <span aria-hidden="true">✓ </span>
        {message}
      </span>
    );
  if (check === 'noquorum')
    return (
      <span className={`font-semibold ${crit}`}>
        <span aria-hidden="true">✕ </span>
        {message}
      </span>
    );
  if (check === 'not_monitoring')
    return (
      <span className={`font-semibold ${stale ? 'text-unknown' : 'text-warn'}`}>
        <span aria-hidden="true">✕ </span>does not monitor this master
        <span className="block text-xs font-normal text-muted">{message}</span>
      </span>
    );
  return (
    <span className="text-muted">
      <span aria-hidden="true">? </span>not checked
      <span className="block text-xs">{message}</span>
    </span>
  );
}

/**
 * Every sentinel: the master it believes in (a different one stands out), when it last answered, its settings for the
 * master, and its own CKQUORUM sentence.
 */
export function SentinelsTable({
  snapshot,
  rows,
  ageMs,
  stale,
  highlighted,
}: {
  snapshot: SentinelSnapshot;
  rows: SentinelRow[];
  /** How old the snapshot on screen is (server clock free: ages are counted from the poll's own start). */
  ageMs: number;
  stale: boolean;
  highlighted: ReadonlySet<string>;
}) {
  const crit = stale ? 'text-unknown' : 'text-crit';
  const { agreed, reachable } = snapshot.agreement;
  const sentence = agreementSentence(snapshot);
  // Agreement is no comfort when no failover can be authorised: never a ✓ then (T#7).
  const vote = failoverVote(snapshot);
  const good = agreed && reachable > 0 && vote.possible;
  // Nothing confirms the quorum (every check refused): said as unchecked, never a ✓ nor a ✕.
  const icon = !good ? '✕ ' : vote.confirmed ? '✓ ' : '? ';
  const collectedAt = Date.parse(snapshot.collectedAt);
  return (
    <div className="space-y-2">
      <p
        className={`text-lg font-semibold ${good ? '' : crit}`}
        data-testid="sentinel-agreement"
        data-agreed={String(agreed && reachable > 0)}
        data-failover-possible={String(vote.possible)}
        data-quorum-confirmed={String(vote.confirmed)}
      >
        <span aria-hidden="true">{icon}</span>
        {sentence}
        {reachable > 0 && !vote.possible && (
          <span className="block text-base" data-testid="sentinel-no-failover">
            No failover is possible now: {vote.why}.
          </span>
        )}
        {reachable > 0 && vote.possible && vote.note && (
          <span className="block text-base font-normal text-muted" data-testid="sentinel-vote-note">
            {vote.note}.
          </span>
        )}
        {reachable > 0 && vote.unchecked.length > 0 && (
          <span className="block text-base font-normal text-muted" data-testid="sentinel-quorum-unchecked">
            CKQUORUM could not be run on {vote.unchecked.join(', ')}:{' '}
            {vote.unchecked.length === 1 ? 'it is' : 'they are'} counted neither way
            {vote.confirmed ? '' : '; whether a failover can be authorised is unchecked'}.
          </span>
        )}
      </p>
      <div className="overflow-x-auto">
        <table className="tabular w-full text-left text-sm" data-testid="sentinels">
          <thead className="text-xs uppercase tracking-wider text-muted">
            <tr>
              <th className="py-1 pr-4">sentinel</th>
              <th className="py-1 pr-4">believes the master is</th>
              <th className="py-1 pr-4">last ok ping</th>
              <th className="py-1 pr-4">quorum</th>
              <th className="py-1 pr-4">down-after</th>
              <th className="py-1 pr-4">failover timeout</th>
              <th className="py-1 pr-4">CKQUORUM</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ sentinel: s, disagrees }) => {
              const flags = (s.masterFlags ?? []).filter((f) => FLAG_WORDS.has(f));
              return (
                <tr
                  key={s.addr}
                  className={`border-t border-border align-top ${(disagrees || highlighted.has(s.addr)) && !stale ? 'bg-crit/10' : ''}`}
                  data-testid="sentinel-row"
                  data-addr={s.addr}
                  data-reachable={String(s.reachable)}
                  data-master={s.masterAddr ?? ''}
                  data-disagrees={String(disagrees)}
                >
                  <td className="py-1 pr-4">
                    <div className="font-semibold">{s.addr}</div>
                    <div className="text-xs text-muted">
                      host {s.host}
                      {s.version && ` · ${s.version}`}
                    </div>
                  </td>
                  <td className="py-1 pr-4">
                    {!s.reachable ? (
                      <span className={`font-semibold ${stale ? 'text-unknown' : 'text-warn'}`}>
                        <span aria-hidden="true">? </span>unreachable from here
                        {s.error && (
                          <span className="block text-xs font-normal text-muted [overflow-wrap:anywhere]">
                            {s.error}
                          </span>
                        )}
                      </span>
                    ) : (
                      <span
                        className={disagrees ? `font-bold ${crit}` : 'font-semibold'}
                        data-testid="sentinel-believes"
                      >
                        {disagrees && <span aria-hidden="true">✕ </span>}
                        {s.masterAddr ?? 'does not know the master'}
                        {disagrees && <span className="block text-xs">not the master the others name</span>}
                      </span>
                    )}
                    {flags.length > 0 && (
                      <span className={`block text-xs font-semibold ${stale ? 'text-unknown' : 'text-warn'}`}>
                        {flags.join(' ')}
                      </span>
                    )}
                  </td>
                  <td className="py-1 pr-4">
                    {s.lastOkAt === undefined ? '–' : formatAge(ageMs - (s.lastOkAt - collectedAt))}
                    {s.latencyMs !== undefined && (
                      <span className="block text-xs text-muted">{formatMs(s.latencyMs)}</span>
                    )}
                    {s.lastOkPingReplyMs !== undefined && (
                      <span className="block text-xs text-muted">peers: {formatAge(s.lastOkPingReplyMs)}</span>
                    )}
                  </td>
                  <td className="py-1 pr-4">
                    {s.quorum ?? '–'}
                    {s.sentinelsKnown !== undefined && (
                      <span className="block text-xs text-muted">knows {s.sentinelsKnown} sentinels</span>
                    )}
                  </td>
                  <td className="py-1 pr-4">{seconds(s.downAfterMs)}</td>
                  <td className="py-1 pr-4">{seconds(s.failoverTimeoutMs)}</td>
                  <td
                    className="max-w-[28rem] py-1 pr-4"
                    data-testid="sentinel-ckquorum"
                    data-ok={String(s.ckquorum?.ok ?? '')}
                    data-check={quorumCheck(s) ?? ''}
                  >
                    {s.ckquorum ? <CkquorumWords view={s} crit={crit} stale={stale} /> : '–'}
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
