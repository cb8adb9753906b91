import { z } from 'zod';
import type { Job } from '../jobs/types';

/** The one job kind of the guided Sentinel failover. */
export const SENTINEL_FAILOVER_KIND = 'sentinel-failover';

/** POST /api/clusters/{id}/sentinel-failover: the deployment's name, typed by the operator. */
export const SentinelFailoverRequest = z.strictObject({ confirm: z.string() });
export type SentinelFailoverRequest = z.infer<typeof SentinelFailoverRequest>;

/** Every step the job declares when it starts, in order (the wizard shows them all from the start). */
export const SENTINEL_FAILOVER_STEPS = [
  'pre-checks on a fresh snapshot',
  'writes paused on the master',
  'promotable replicas caught up',
  'SENTINEL FAILOVER accepted',
  'replica promoted',
  'old master is a replica of the new one',
  'writes unpaused on the old master',
  'every sentinel names the new master',
  'HAProxy routes to the new master only',
  'verified',
] as const;
export type SentinelFailoverStep = (typeof SENTINEL_FAILOVER_STEPS)[number];

/** What the job was asked, as resolved when it started. */
export interface SentinelFailoverParams {
  masterName: string;
  oldMaster: string | null;
  /** The replica the sentinels were expected to promote (the plan's pick). */
  expected: string | null;
  zeroLossGuaranteed: boolean;
}

export interface SentinelFailoverResult {
  oldMaster: string | null;
  /** The replica the sentinels promoted (which may differ from `expected` when their view of offsets was older). */
  newMaster: string;
  expected: string | null;
  /** The sentinel SENTINEL FAILOVER was sent to (the leader of this failover). */
  sentinel?: string;
  /** Writes were paused on the old master from the first to the last of these (ms since the job started). */
  paused?: { fromMs: number; toMs: number };
  /** The offsets the replicas reached while writes were paused: addr -> offset, and the master's. */
  caughtUp?: { masterOffset: number; replicas: Record<string, number> };
  /** How many of the configured sentinels named the new master (a majority at least when the step is done). */
  sentinelsAgreeing: number;
  /** Configured sentinels that did not answer after the failover (the agreement step ended partial). */
  sentinelsSilent?: string[];
  /** The promoted replica was not among those the job waited for: zero loss is not proven. */
  notWaitedFor?: string;
  /**
   * Every write the old master acknowledged is on the new master: the plan guaranteed it, writers stayed paused
   * without a lapse until the old master was a replica, and the promoted replica had the master's offset.
   */
  zeroLossKept: boolean;
  /** Why zero loss was kept, or why not (or not proven), in plain words. */
  zeroLoss: string;
  /** HAProxy's routed servers at verification, when configured. */
  haproxyRouted?: string[];
  /**
   * Additive (K): why HAProxy's routing could not be verified (its stats unreadable, or it did not route to the new
   * master alone within the wait). The failover itself is done: the job succeeds, this step is "unverified".
   */
  haproxyUnverified?: string;
  /** ms from the start to each milestone. */
  timings: {
    pausedMs?: number;
    caughtUpMs?: number;
    sentMs?: number;
    promotedMs?: number;
    switchedMs?: number;
    demotedMs?: number;
    haproxyMs?: number;
    unpausedMs?: number;
    verifiedMs?: number;
  };
  /** The sentinels' own events during the job, in order (sentinel, event, message). */
  events: Array<{ sentinel: string; event: string; message: string; ms: number }>;
  notes: string[];
}

export type SentinelFailoverJob = Job<SentinelFailoverResult, SentinelFailoverParams>;
