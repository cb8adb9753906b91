import type { PreCheck } from '../failover/prechecks';
import type { FixAction, FixPlan } from '../plan/fix';

/**
 * The answer of `POST /api/clusters/{id}/fix/plan`: per broken slot what `redis-cli --cluster fix` would do (the
 * commands in its order, the owner it ends with), the slots it would give up on, and the pre-flight checks. The fix
 * job runs these actions. Nothing changes to compute it.
 */
export interface FixPreview {
  actions: FixAction[];
  /** Set when nothing would run, and why (e.g. a master is unreachable and the request did not allow it). */
  refused?: string;
  unhandled: FixPlan['unhandled'];
  notes: string[];
  checks: PreCheck[];
  allowed: boolean;
  /** Why it is not allowed when no check fails (nothing to fix). */
  reason?: string;
}
