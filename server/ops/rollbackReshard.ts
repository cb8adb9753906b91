import 'server-only';
import type { Principal } from '@/lib/auth/access';
import { continueReshard } from './resumeReshard';

/** Returns the slots a stopped reshard left open to their source (keys included); moved slots stay moved. */
export function rollbackReshard(jobId: string, principal: Principal | undefined): { jobId: string } {
  return continueReshard(jobId, 'rollback', principal);
}
