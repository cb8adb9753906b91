import type { AddNodePreview as Preview } from '@/lib/plan/addNode';

const yesNo = (v: boolean | undefined) => (v === undefined ? '–' : v ? 'yes' : 'no');

/**
 * What the check read on the typed address (reads only: INFO, CLUSTER INFO, CLUSTER MYID), then the planner's
 * decision: the refusal in plain words, or what the job will do. `chosenMaster`: the operator picked the master.
 */
export function AddNodePreview({ preview, chosenMaster }: { preview: Preview; chosenMaster: boolean }) {
  const { facts, decision } = preview;
  const rows: Array<[string, string]> = [
    ['answers', facts.reachable ? 'yes' : `no${facts.error ? ` (${facts.error})` : ''}`],
    ['version', facts.redisVersion ?? '–'],
    ['cluster-enabled', yesNo(facts.clusterEnabled)],
    ['node id', facts.nodeId ?? '–'],
    ['nodes it knows', facts.knownNodes === undefined ? '–' : String(facts.knownNodes)],
    // cluster_slots_assigned: the slots of the cluster the node is in, not slots it owns.
    ['slots in its cluster', facts.slotsAssigned === undefined ? '–' : String(facts.slotsAssigned)],
    ['keys', facts.keys === undefined ? '–' : String(facts.keys)],
    ['open without a password', yesNo(facts.passwordless)],
    ['inside nodeNetworks', yesNo(facts.pollable)],
  ];
  return (
    <div className="space-y-3" data-testid="add-node-preview" data-ok={String(decision.ok)}>
      <table className="tabular text-sm" data-testid="add-node-facts">
        <caption className="text-left text-sm font-semibold">{facts.addr}, as the check read it</caption>
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name} data-fact={name}>
              <th className="pr-4 text-left font-normal text-muted">{name}</th>
              <td className="font-mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {decision.ok ? (
        <div className="space-y-1 text-sm" data-testid="add-node-plan">
          <p className="text-base">
            <strong className="text-ok">Ready to add</strong> {decision.plan.addr} as a{' '}
            <strong>{decision.plan.role}</strong>: it meets the cluster through {decision.plan.meetVia.addr}
            {decision.plan.master ? (
              <>
                , then replicates{' '}
                <strong data-testid="add-node-plan-master" data-node-id={decision.plan.master.id}>
                  {decision.plan.master.addr}
                </strong>{' '}
                ({decision.plan.master.replicas} replica{decision.plan.master.replicas === 1 ? '' : 's'} now
                {decision.plan.master.sameHost ? ', same host' : ', another host'}
                {chosenMaster ? ', your choice' : ': the default, fewest replicas on another host'})
              </>
            ) : (
              ', and waits until every node lists it and it reports cluster_state:ok; it holds no slot until a rebalance'
            )}
            .
          </p>
          {decision.plan.notes.map((note) => (
            <p key={note} className="text-warn">
              {note}
            </p>
          ))}
        </div>
      ) : (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert" data-testid="add-node-refusal">
          <strong>Refused:</strong> {decision.reason}. Nothing was sent to the node beyond the checks.
        </p>
      )}
    </div>
  );
}
