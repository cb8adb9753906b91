'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { slotQuery } from '@/lib/client/queries';
import type { SlotMapModel } from '@/lib/cluster/slotMap';
import { OVERLAY_LEVEL, OVERLAY_REASONS, type OverlayReason } from '@/lib/cluster/slotOverlay';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import { notPermittedText } from '@/lib/redis/refusal';
import { Term } from '../common/Term';

const OVERLAY_INFO: Record<OverlayReason, ReactNode> = {
  fail: (
    <>
      <Term word="FAIL" raw />: requests to this slot fail until a replica takes over
    </>
  ),
  pfail: (
    <>
      <Term word="PFAIL" raw />: requests to this slot may hang
    </>
  ),
  unreachable: (
    <>
      <Term word="unreachable" />: the cluster does not flag it (yet)
    </>
  ),
  noReplica: <>answers, but no replica could take over if it failed</>,
};

function owner(model: SlotMapModel, slot: number) {
  return model.owners[model.owner[slot] ?? -1];
}

/** Slot number, owner and replicas from the snapshot; the key count asked of the owner only for a clicked slot. */
export function SlotInfo({
  clusterId,
  model,
  nodes,
  hovered,
  selected,
  canCountKeys,
}: {
  clusterId: string;
  model: SlotMapModel;
  nodes: SnapshotNode[];
  hovered: number | undefined;
  selected: number | undefined;
  canCountKeys: boolean;
}) {
  const detail = useQuery({ ...slotQuery(clusterId, selected ?? 0), enabled: selected !== undefined && canCountKeys });
  const slot = hovered ?? selected;
  if (slot === undefined)
    return <p className="text-sm text-muted">Hover or click a slot (or focus the map and use the arrow keys).</p>;
  const master = owner(model, slot);
  const replicas = master ? nodes.filter((n) => n.role === 'replica' && n.masterId === master.id) : [];
  const open = model.open.get(slot);
  const code = model.overlay.kind[slot] ?? 0;
  const reason = code ? OVERLAY_REASONS[code - 1] : undefined;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-sm" data-testid="slot-info" data-slot={slot}>
      <dt className="text-muted">slot</dt>
      <dd className="tabular font-semibold">{slot}</dd>
      <dt className="text-muted">owner</dt>
      <dd className={master ? '' : 'font-semibold text-crit'}>{master ? master.addr : 'none: uncovered'}</dd>
      <dt className="text-muted">replicas</dt>
      <dd>{replicas.length ? replicas.map((r) => r.addr).join(', ') : '–'}</dd>
      {reason && (
        <>
          <dt className="text-muted">master</dt>
          <dd
            className={OVERLAY_LEVEL[reason] === 'critical' ? 'text-crit' : 'text-warn'}
            data-testid="slot-overlay"
            data-reason={reason}
          >
            {OVERLAY_INFO[reason]}
          </dd>
        </>
      )}
      {open && (
        <>
          <dt className="text-muted">open</dt>
          <dd className="text-warn" data-testid="slot-open">
            {open.migrating
              ? `migrating on ${nodes.find((n) => n.id === open.migrating)?.addr ?? open.migrating.slice(0, 8)}`
              : ''}
            {open.migrating && open.importing ? ', ' : ''}
            {open.importing
              ? `importing on ${nodes.find((n) => n.id === open.importing)?.addr ?? open.importing.slice(0, 8)}`
              : ''}
          </dd>
        </>
      )}
      {slot === selected && canCountKeys && (
        <>
          <dt className="text-muted">keys</dt>
          <dd className="tabular" data-testid="slot-keys">
            {detail.isFetching
              ? '…'
              : detail.data?.keys != null
                ? formatCount(detail.data.keys)
                : detail.data?.notPermitted
                  ? notPermittedText(detail.data.notPermitted)
                  : (detail.data?.error ?? detail.error?.message ?? '–')}
          </dd>
        </>
      )}
    </dl>
  );
}
