import { queryOptions } from '@tanstack/react-query';
import type { MoveReplicaDecision } from '../plan/moveReplica';
import type { RemoveNodeDecision } from '../plan/removeNode';
import { apiGet } from './api';
import { apiPost } from './mutate';

const nodePath = (clusterId: string, nodeId: string) =>
  `/api/clusters/${encodeURIComponent(clusterId)}/nodes/${encodeURIComponent(nodeId)}`;

/** The remove-node plan (or why not), read again every few seconds while the dialog is open. */
export const removePlanQuery = (clusterId: string, nodeId: string) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'remove-plan', nodeId] as const,
    queryFn: ({ signal }) => apiGet<RemoveNodeDecision>(`${nodePath(clusterId, nodeId)}/remove/plan`, signal),
    refetchInterval: 3000,
    retry: false,
  });

export function startRemoveNode(clusterId: string, nodeId: string, confirm: string) {
  return apiPost<{ jobId: string }>(`${nodePath(clusterId, nodeId)}/remove`, { confirm });
}

/** The move-replica plan towards `masterId` (absent: the default choice). */
export const moveReplicaPlanQuery = (clusterId: string, replicaId: string, masterId?: string) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'move-replica-plan', replicaId, masterId ?? 'default'] as const,
    queryFn: ({ signal }) =>
      apiGet<MoveReplicaDecision>(
        `${nodePath(clusterId, replicaId)}/replicate/plan${masterId ? `?masterId=${encodeURIComponent(masterId)}` : ''}`,
        signal,
      ),
    refetchInterval: 3000,
    retry: false,
  });

export function startMoveReplica(clusterId: string, replicaId: string, masterId: string, confirm: string) {
  return apiPost<{ jobId: string }>(`${nodePath(clusterId, replicaId)}/replicate`, { masterId, confirm });
}
