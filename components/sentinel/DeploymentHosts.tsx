import type { HostGroup, HostMemberKind } from '@/lib/sentinel/deploymentView';

const KIND: Record<HostMemberKind, { letter: string; word: string }> = {
  master: { letter: 'M', word: 'master' },
  replica: { letter: 'R', word: 'replica' },
  sentinel: { letter: 'S', word: 'sentinel' },
};

/**
 * One row per host with what runs there (M master, R replica, S sentinel): a master beside most of the sentinels, or
 * every sentinel on one machine, is seen at a glance.
 */
export function DeploymentHosts({
  groups,
  sentinelsHost,
  stale,
}: {
  groups: HostGroup[];
  /** The one host every sentinel runs on, when they all do. */
  sentinelsHost: string | undefined;
  stale: boolean;
}) {
  return (
    <div className="space-y-2">
      {sentinelsHost && (
        <p className={`font-semibold ${stale ? 'text-unknown' : 'text-warn'}`} data-testid="sentinels-one-host">
          <span aria-hidden="true">! </span>Every sentinel runs on {sentinelsHost}: losing that host loses the quorum.
        </p>
      )}
      <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3" data-testid="deployment-hosts">
        {groups.map((g) => (
          <li
            key={g.host}
            className="rounded border border-border bg-panel px-3 py-2"
            data-testid="deployment-host"
            data-host={g.host}
          >
            <div className="font-semibold">{g.host}</div>
            <ul className="tabular mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm">
              {g.members.map((m) => (
                <li
                  key={`${m.kind}-${m.addr}`}
                  className={m.reachable ? '' : stale ? 'text-unknown' : 'text-warn'}
                  title={`${KIND[m.kind].word} ${m.addr}${m.reachable ? '' : ': unreachable from here'}`}
                  data-kind={m.kind}
                >
                  <span
                    className={`mr-1 rounded px-1 font-bold ${m.kind === 'master' ? 'bg-text text-bg' : 'border border-border'}`}
                  >
                    {KIND[m.kind].letter}
                  </span>
                  <span className="sr-only">{KIND[m.kind].word} </span>
                  {m.addr}
                  {!m.reachable && ' (unreachable from here)'}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
