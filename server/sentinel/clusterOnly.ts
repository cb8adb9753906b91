import 'server-only';
import type { ClusterSummary } from '@/lib/api/types';
import { listClusters } from '../clusters/snapshot';

/**
 * The Sentinel deployment an id names, for the cluster-only pages (config, a node's page): they answer it with
 * ClusterOnlyPage instead of a cluster view that would stay empty or show the API's refusal as an error.
 */
export function sentinelDeploymentNamed(id: string): ClusterSummary | undefined {
  return listClusters().find((c) => c.id === id && c.kind === 'sentinel');
}
