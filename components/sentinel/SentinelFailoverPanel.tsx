'use client';

import type { SentinelSnapshot } from '@/lib/sentinel/types';

/** The guided Sentinel failover: pre-checks, the plan, typed confirmation, live steps. Filled in by the failover work. */
export function SentinelFailoverPanel(_props: { deploymentId: string; snapshot: SentinelSnapshot }) {
  return null;
}
