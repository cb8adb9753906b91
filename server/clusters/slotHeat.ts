import 'server-only';
import {
  HeatMetric,
  type MasterHeatStatus,
  type MetricHeat,
  type SlotHeatQuery,
  type SlotHeatResponse,
} from '@/lib/cluster/slotHeat';
import { metricHeat } from '@/lib/cluster/slotHeatView';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { notPermittedText } from '@/lib/redis/refusal';
import { SLOT_COUNT } from '@/lib/redis/slots';
import type { SlotHeatSampler } from '../collect/slotHeat';
import { pollerOr404 } from './poller';

function referenceOwners(snapshot: ClusterSnapshot | undefined): Array<string | undefined> {
  const owners: Array<string | undefined> = new Array(SLOT_COUNT).fill(undefined);
  for (const node of snapshot?.nodes ?? []) {
    if (node.role !== 'master') continue;
    for (const [start, end] of node.slots) for (let s = start; s <= end; s++) owners[s] = node.id;
  }
  return owners;
}

const addrs = (masters: MasterHeatStatus[]) => masters.map((m) => m.addr).join(', ');

/** Why CPU / network per slot is missing or partial, in the operator's words; undefined when every master counts it. */
function countersNote(masters: MasterHeatStatus[], slotStatsMs: number): string | undefined {
  const refused = masters.filter((m) => m.slotStatsNotPermitted);
  const withoutSlotStats = masters.filter((m) => m.source === 'countkeysinslot');
  const off = masters.filter((m) => m.slotStatsCountersOff);
  const notes: string[] = [];
  if (withoutSlotStats.length) {
    const why = refused.length
      ? `CLUSTER SLOT-STATS ${notPermittedText(refused[0]?.slotStatsNotPermitted ?? { user: 'default', command: 'cluster|slot-stats' })}`
      : 'needs CLUSTER SLOT-STATS (Valkey 8 or later)';
    notes.push(`not known for ${addrs(withoutSlotStats)}: ${why}`);
  }
  if (off.length)
    notes.push(`cluster-slot-stats-enabled is no on ${addrs(off)}: CPU and network are not counted per slot`);
  const waiting = masters.filter((m) => m.source === 'slot-stats' && !m.slotStatsCountersOff && !m.ratesAt);
  if (waiting.length)
    notes.push(
      `not yet known for ${addrs(waiting)}: a rate needs two reads of the counters, ${Math.round(slotStatsMs / 1000)} s apart`,
    );
  return notes.length ? notes.join('; ') : undefined;
}

function keysNote(masters: MasterHeatStatus[]): string | undefined {
  const notes = masters.flatMap((m) => {
    if (m.notPermitted) return [`${m.addr}: CLUSTER COUNTKEYSINSLOT ${notPermittedText(m.notPermitted)}`];
    if (m.error) return [`${m.addr}: ${m.error}`];
    if (m.sweep) return [`${m.addr}: sampling, ${m.sweep.read} of ${m.sweep.total} slots read`];
    return [];
  });
  return notes.length ? notes.join('; ') : undefined;
}

/** The cluster's slot heat as last read by its poller's sampler: no Redis call here. */
export function slotHeat(clusterId: string, values: SlotHeatQuery['values'] = 'all'): SlotHeatResponse {
  const poller = pollerOr404(clusterId);
  const heat = slotHeatOf(clusterId, poller.heat, poller.latest);
  if (values === 'all') return heat;
  const metrics = { ...heat.metrics };
  for (const metric of HeatMetric.options) if (metric !== values) metrics[metric] = { ...metrics[metric], values: [] };
  return { ...heat, metrics };
}

/** A sampler's reads as the API gives them, owners in the reference view of `snapshot` winning disputed slots. */
export function slotHeatOf(
  clusterId: string,
  sampler: SlotHeatSampler,
  snapshot: ClusterSnapshot | undefined,
): SlotHeatResponse {
  const { options } = sampler;
  const masters = sampler.status();
  const values = sampler.values();
  const owners = referenceOwners(snapshot);
  const owner = (slot: number) => owners[slot];
  const keys = metricHeat('keys', values, owner, keysNote(masters));
  const counters = (metric: Exclude<HeatMetric, 'keys'>): MetricHeat => {
    const heat = metricHeat(metric, values, owner);
    const note = countersNote(masters, options.slotStatsMs);
    return note ? { ...heat, note } : heat;
  };
  return {
    clusterId,
    metrics: { keys, cpu: counters('cpu'), network: counters('network') },
    masters,
    sampling: {
      slotStatsMs: options.slotStatsMs,
      countKeysMs: options.countKeysMs,
      countKeysPerSecond: options.countKeysPerSecond,
    },
  };
}
