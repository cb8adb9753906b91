'use client';

import { useMemo, useState } from 'react';
import { slotMapModel } from '@/lib/cluster/slotMap';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { KeyLookup } from './KeyLookup';
import { SlotInfo } from './SlotInfo';
import { SlotLegend } from './SlotLegend';
import { SlotMap } from './SlotMap';
import { SlotRanges } from './SlotRanges';

export function SlotSection({
  clusterId,
  snapshot,
  canQueryNodes,
}: {
  clusterId: string;
  snapshot: ClusterSnapshot;
  canQueryNodes: boolean;
}) {
  const model = useMemo(() => slotMapModel(snapshot), [snapshot]);
  const [hovered, setHovered] = useState<number>();
  const [selected, setSelected] = useState<number>();
  return (
    <section className="space-y-3 rounded-lg border border-border bg-panel p-4" aria-labelledby="slots-heading">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="slots-heading" className="text-lg font-semibold">
          Slots
        </h2>
        <SlotLegend model={model} />
      </div>
      <SlotMap model={model} selected={selected} onSelect={setSelected} onHover={setHovered} />
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <div className="space-y-4">
          <SlotInfo
            clusterId={clusterId}
            model={model}
            nodes={snapshot.nodes}
            hovered={hovered}
            selected={selected}
            canCountKeys={canQueryNodes}
          />
          {canQueryNodes && <KeyLookup clusterId={clusterId} nodes={snapshot.nodes} onSlot={setSelected} />}
        </div>
        <SlotRanges nodes={snapshot.nodes} overlay={model.overlay} />
      </div>
    </section>
  );
}
