'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { startInteraction, useInteractionPainted } from '@/lib/client/interactionTiming';
import { SLOT_HEAT_REFETCH_MS, slotHeatQuery } from '@/lib/client/slotHeat';
import { heatColours } from '@/lib/cluster/heatScale';
import type { SlotMapMode } from '@/lib/cluster/slotHeat';
import { slotMapModel } from '@/lib/cluster/slotMap';
import { selectionRange } from '@/lib/cluster/slotSelection';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import type { SlotRange } from '@/lib/redis/slots';
import { HeatLegend } from './HeatLegend';
import { HotSlots } from './HotSlots';
import { KeyLookup } from './KeyLookup';
import { SlotHeatMode } from './SlotHeatMode';
import { SlotInfo } from './SlotInfo';
import { SlotLegend } from './SlotLegend';
import { SlotMap, type SlotMarks } from './SlotMap';
import { SlotRanges } from './SlotRanges';
import { SlotSelectionBar } from './SlotSelectionBar';

export function SlotSection({
  clusterId,
  snapshot,
  canQueryNodes,
  onMoveSlots,
  moveBlocked,
  marks,
  clearSelectionOn,
}: {
  clusterId: string;
  snapshot: ClusterSnapshot;
  canQueryNodes: boolean;
  /** Operators: open the reshard dialog on the selected range. */
  onMoveSlots?: (ranges: SlotRange[]) => void;
  moveBlocked?: string;
  /** A running reshard's slots in flight and moved. */
  marks?: SlotMarks;
  /** A change of this value clears the selection (e.g. the reshard of the selected slots started). */
  clearSelectionOn?: string;
}) {
  const model = useMemo(() => slotMapModel(snapshot), [snapshot]);
  const [hovered, setHovered] = useState<number>();
  // The clicked slot (the selection's anchor) and the selection's moving end.
  const [selected, setSelected] = useState<number>();
  const [focus, setFocus] = useState<number>();
  const range = useMemo(
    () => (selected === undefined ? undefined : selectionRange({ anchor: selected, focus: focus ?? selected })),
    [selected, focus],
  );
  const select = (slot: number) => {
    startInteraction('slot-select');
    setSelected(slot);
    setFocus(slot);
  };
  const extend = (slot: number) => {
    if (selected === undefined) setSelected(slot);
    setFocus(slot);
  };
  const clear = () => {
    setSelected(undefined);
    setFocus(undefined);
  };
  useInteractionPainted('slot-select', selected);
  // Heat mode (viewers and up: the heat is read from the nodes): asked once for the toggle, then refreshed while shown.
  const [mode, setMode] = useState<SlotMapMode>('ownership');
  const heat = useQuery({
    ...slotHeatQuery(clusterId, mode === 'ownership' ? 'none' : mode),
    placeholderData: (previous) => previous,
    enabled: canQueryNodes,
    refetchInterval: mode === 'ownership' ? false : SLOT_HEAT_REFETCH_MS,
  });
  // Until the metric's values arrive (the last reply may carry another metric's), the map stays in ownership colours.
  const asked = mode === 'ownership' ? undefined : heat.data?.metrics[mode];
  const view = asked?.values.length ? asked : undefined;
  const colours = useMemo(() => (view ? { metric: view.metric, ...heatColours(view.values) } : undefined), [view]);
  useEffect(() => {
    if (clearSelectionOn === undefined) return;
    setSelected(undefined);
    setFocus(undefined);
  }, [clearSelectionOn]);
  return (
    <section className="space-y-3 rounded-lg border border-border bg-panel p-4" aria-labelledby="slots-heading">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="slots-heading" className="text-lg font-semibold">
          Slots
        </h2>
        {canQueryNodes && <SlotHeatMode mode={mode} onMode={setMode} heat={heat.data} />}
        {heat.data && view && colours ? (
          <HeatLegend heat={heat.data} view={view} max={colours.max} />
        ) : (
          <SlotLegend model={model} marks={marks} />
        )}
      </div>
      <SlotMap
        model={model}
        selected={selected}
        onSelect={select}
        onHover={setHovered}
        selection={range}
        focus={focus}
        onExtend={extend}
        onClear={clear}
        marks={marks}
        heat={colours}
      />
      <SlotSelectionBar
        model={model}
        range={range}
        onMove={onMoveSlots ? (r) => onMoveSlots([r]) : undefined}
        moveBlocked={moveBlocked}
        onClear={clear}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <div className="space-y-4">
          {view && <HotSlots view={view} onSelect={select} />}
          <SlotInfo
            clusterId={clusterId}
            model={model}
            nodes={snapshot.nodes}
            hovered={hovered}
            selected={selected}
            canCountKeys={canQueryNodes}
          />
          {canQueryNodes && <KeyLookup clusterId={clusterId} nodes={snapshot.nodes} onSlot={select} />}
        </div>
        <SlotRanges nodes={snapshot.nodes} overlay={model.overlay} />
      </div>
    </section>
  );
}
