import type { ClusterSnapshot } from '../cluster/types';
import { agreementFindings, nodeFindings, redundancyFindings, stateFindings } from './health';
import { nodeNetworkFindings } from './nodeNetworks';
import { persistenceFindings } from './persistence';
import { placementFindings } from './placement';
import { resourceFindings } from './resources';
import { slotFindings } from './slots';
import { DEFAULT_FINDING_OPTIONS, type Finding, type FindingOptions, SEVERITY_ORDER } from './types';
import { viewFindings } from './views';

export type { Finding, FindingOptions, Severity } from './types';

/** Every rule over one snapshot, most severe first. Pure: the same snapshot always gives the same findings. */
export function evaluateFindings(
  snapshot: ClusterSnapshot,
  options: FindingOptions = DEFAULT_FINDING_OPTIONS,
): Finding[] {
  return [
    ...nodeNetworkFindings(snapshot),
    ...stateFindings(snapshot),
    ...slotFindings(snapshot),
    ...agreementFindings(snapshot),
    ...viewFindings(snapshot),
    ...nodeFindings(snapshot, options),
    ...redundancyFindings(snapshot),
    ...placementFindings(snapshot),
    ...resourceFindings(snapshot, options),
    ...persistenceFindings(snapshot, options),
  ].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
