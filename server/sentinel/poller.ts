import 'server-only';
import type { Job } from '@/lib/jobs/types';
import { SENTINEL_FAILOVER_KIND } from '@/lib/sentinel/failoverJob';
import { type HaproxyMemory, rememberHaproxy } from '@/lib/sentinel/haproxyMemory';
import {
  MASTER_CHANGES_KEPT,
  type MasterChange,
  masterChangeSentence,
  trackMaster,
} from '@/lib/sentinel/masterChanges';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import type { ResolvedSentinel } from '../config/load';
import { ClusterHistory, type HistorySource } from '../history/clusterHistory';
import { MinuteRollup } from '../history/minuteRollup';
import { listJobs } from '../jobs/registry';
import { SentinelCollector } from './collector';
import { historySource, pollRoundTrips } from './history';

/** A guided job that ended this recently still owns a master change the poller sees late. */
const GUIDED_GRACE_MS = 5_000;

export type SentinelListener = (snapshot: SentinelSnapshot) => void;

/**
 * One poll loop per Sentinel deployment, as ClusterPoller is for a cluster: polls, keeps the latest snapshot, tells
 * listeners. Requests only ever read the cache (or ask for a fresh poll, which brings the loop forward).
 */
export class SentinelPoller {
  private readonly collector: SentinelCollector;
  private readonly listeners = new Set<SentinelListener>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling = false;
  private broughtForward = false;
  private latestSnapshot: SentinelSnapshot | undefined;
  /** HAProxy's last good read, so a proxy that stops answering is told from one never read (J). */
  private haproxyMemory: HaproxyMemory = {};
  /** The master the last poll that named one named, and the changes seen (J). */
  private lastMaster: string | undefined;
  private masterChanges: MasterChange[] = [];
  private waiters: { resolve: (s: SentinelSnapshot) => void; reject: (e: Error) => void }[] = [];
  polls = 0;
  /**
   * The data nodes' trends, as a cluster's: the same rings and series, and the same 1-minute rollups in the store
   * (history_minutes keyed by the deployment id, node_id = the data node's address), so they outlive a restart.
   * `historyNodes`: the last poll in the history's terms, what its readers pass as the snapshot.
   */
  readonly history: ClusterHistory;
  historyNodes: HistorySource | undefined;

  constructor(readonly deployment: ResolvedSentinel) {
    this.collector = new SentinelCollector(deployment);
    this.history = new ClusterHistory(
      deployment.historyMinutes * 60_000,
      deployment.pollIntervalMs,
      0,
      new MinuteRollup(deployment.id),
    );
  }

  get latest(): SentinelSnapshot | undefined {
    return this.latestSnapshot;
  }

  /**
   * The poller's connection to a sentinel (as configured) or a data node (as the sentinels name it; natMap applied),
   * for operations that must use the same credentials and TLS (the guided failover).
   */
  connection(addr: string, side: 'sentinel' | 'data') {
    return this.collector.connection(side === 'data' ? this.collector.dialAddr(addr) : addr, side);
  }

  /**
   * A snapshot whose poll started after this call; callers asking at once share one poll (a poller not started polls
   * once).
   */
  fresh(): Promise<SentinelSnapshot> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.polling && !this.broughtForward) {
        this.broughtForward = true;
        clearTimeout(this.timer);
        setImmediate(() => {
          this.broughtForward = false;
          void this.tick();
        });
      }
    });
  }

  subscribe(listener: SentinelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.polling) return;
    const started = Date.now();
    this.polling = true;
    const served = this.waiters.splice(0);
    try {
      const snapshot = await this.collector.collect();
      const remembered = rememberHaproxy(snapshot.haproxy, snapshot.collectedAt, this.haproxyMemory);
      if (remembered.view) snapshot.haproxy = remembered.view;
      this.haproxyMemory = remembered.memory;
      this.recordMasterChange(snapshot);
      this.polls++;
      this.latestSnapshot = snapshot;
      this.recordHistory(snapshot);
      for (const listener of this.listeners) {
        try {
          listener(snapshot);
        } catch (err) {
          console.error(`[sentinel poller ${this.deployment.id}] listener failed:`, err);
        }
      }
      for (const w of served) w.resolve(snapshot);
    } catch (err) {
      console.error(`[sentinel poller ${this.deployment.id}] poll failed:`, err);
      for (const w of served) w.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.polling = false;
    if (!this.running) {
      // Not started (or stopped): a fresh() asked during this poll still gets the next one.
      if (this.waiters.length) setImmediate(() => void this.tick());
      return;
    }
    const wait = this.waiters.length ? 0 : Math.max(0, this.deployment.pollIntervalMs - (Date.now() - started));
    this.timer = setTimeout(() => void this.tick(), wait);
  }

  /**
   * The master the sentinels name against the last poll's: a change is kept (old → new, when, and the guided job
   * behind it, if one ran) and every snapshot carries the recent ones and the running guided failover, if any.
   */
  private recordMasterChange(snapshot: SentinelSnapshot): void {
    const job = this.guidedJob();
    const running = job?.state === 'running' ? job : undefined;
    const tracked = trackMaster(this.lastMaster, snapshot, job?.id);
    this.lastMaster = tracked.last;
    if (tracked.change) {
      this.masterChanges = [...this.masterChanges, tracked.change].slice(-MASTER_CHANGES_KEPT);
      console.info(
        `[sentinel poller ${this.deployment.id}] ${masterChangeSentence(tracked.change, (iso) => iso)}${job ? ` (job ${job.id})` : ''}`,
      );
    }
    if (this.masterChanges.length) snapshot.masterChanges = this.masterChanges;
    if (running) snapshot.guidedFailover = { jobId: running.id, startedAt: running.startedAt };
  }

  /** The guided failover job running on this deployment, or one that ended in the last few seconds. */
  private guidedJob(): Job | undefined {
    try {
      const now = Date.now();
      return listJobs(this.deployment.id, 3).find(
        (j) =>
          j.kind === SENTINEL_FAILOVER_KIND &&
          (j.state === 'running' || (j.endedAt !== undefined && now - Date.parse(j.endedAt) < GUIDED_GRACE_MS)),
      );
    } catch {
      // No store (a poller used alone): no guided job can be running.
      return undefined;
    }
  }

  private recordHistory(snapshot: SentinelSnapshot): void {
    try {
      this.historyNodes = historySource(snapshot, this.collector.lastInfo);
      this.history.recordPings(Date.parse(snapshot.collectedAt), pollRoundTrips(snapshot));
      this.history.record(this.historyNodes);
    } catch (err) {
      console.error(`[sentinel poller ${this.deployment.id}] could not record the trends:`, err);
    }
  }

  stop(): void {
    this.running = false;
    for (const w of this.waiters.splice(0)) w.reject(new Error('this deployment is no longer polled'));
    clearTimeout(this.timer);
    this.collector.close();
  }
}
