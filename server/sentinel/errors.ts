import 'server-only';
import { ApiError } from '../api/errors';

/**
 * A cluster-only route asked with a Sentinel deployment's id: a clear 400 rather than a misleading 404. Thrown where the
 * cluster poller is looked up (pollerOr404, cachedOr503); the route handler names the feature from the request's path.
 */
export class SentinelDeploymentError extends ApiError {
  constructor(
    readonly deploymentId: string,
    readonly what = 'this',
  ) {
    super(
      'bad_request',
      `"${deploymentId}" is a Sentinel deployment: ${what} is for clusters (a Sentinel deployment has /snapshot, /findings and /sentinel-failover)`,
    );
  }

  /** The same error naming the route's feature: /api/clusters/{id}/reshard/plan -> "reshard/plan". */
  at(pathname: string): SentinelDeploymentError {
    const match = /^\/api\/clusters\/[^/]+\/(.+)$/.exec(pathname);
    return match?.[1] ? new SentinelDeploymentError(this.deploymentId, match[1]) : this;
  }
}
