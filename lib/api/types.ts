import type { ClusterSnapshot } from '../cluster/types';

/** Every API error, whatever the route: `{ error: { code, message } }`. */
export type ApiErrorCode = 'bad_request' | 'not_found' | 'not_ready' | 'internal';

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; fields?: string[] };
}

export interface ClusterSummary {
  id: string;
  name: string;
}

/** GET /api/clusters/{id}/snapshot: the latest poll, how old it is, and how often it is refreshed. */
export type SnapshotResponse = ClusterSnapshot & {
  /** ms between collectedAt and the moment the server answered. */
  ageMs: number;
  pollIntervalMs: number;
};
