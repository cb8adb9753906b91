import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as login } from '@/app/api/auth/login/route';
import { GET as planRoute } from '@/app/api/clusters/[id]/sentinel-failover/plan/route';
import { POST as startFailover } from '@/app/api/clusters/[id]/sentinel-failover/route';
import { POST as cancelRoute } from '@/app/api/jobs/[jobId]/cancel/route';
import { parseInfo } from '@/lib/redis/info';
import type { SentinelFailoverJob, SentinelFailoverResult } from '@/lib/sentinel/failoverJob';
import type { SentinelFailoverPlan } from '@/lib/sentinel/failoverPlan';
import { sentinelFindings } from '@/lib/sentinel/findings';
import type { SentinelDataNode, SentinelSnapshot } from '@/lib/sentinel/types';
import { waitFor } from '../../scripts/devcluster/cluster';
import { startSentinelLossWriter } from '../../scripts/sentinelgroup/lossWriter';
import { type SentinelGroup, startSentinelGroup } from '../../scripts/sentinelgroup/sentinelGroup';
import { startSentinelProcess } from '../../scripts/sentinelgroup/sentinelProcess';
import { stopTracked } from '../../scripts/sentinelgroup/tracked';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { freshStore } from '../../scripts/test/store';
import { getSentinelPoller, stopPollers } from '../collect/pollers';
import { getJob, startJob } from '../jobs/registry';
import { runSentinelFailover } from './failover';
import { FailoverLinks } from './failoverLinks';
import { WritePause } from './failoverPause';

// The guided Sentinel failover through the real routes, on a real group (1 master + 2 replicas + 3 sentinels +
// HAProxy on 127.0.0.1-3), for each flavour: refusals, a guided failover under a one-key-per-write writer connected
// through HAProxy (nothing acknowledged may be lost), the sentinels' own failover of a SIGSTOPped master as the
// snapshot shows it, and a failover refused once quorum is lost.

const BASE = 'http://127.0.0.1:3000';
const USERS = { vera: 'viewer', otto: 'operator' } as const;
const PASSWORDS = { vera: `v-${randomBytes(6).toString('hex')}`, otto: `o-${randomBytes(6).toString('hex')}` };
const WRITES_PER_SECOND = 2000;

const post = (url: string, body: unknown, cookie: string) =>
  new Request(`${BASE}${url}`, {
    method: 'POST',
    headers: { origin: BASE, 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
const get = (url: string, cookie: string) => new Request(`${BASE}${url}`, { headers: { cookie } });

async function cookieOf(user: keyof typeof USERS): Promise<string> {
  const response = await login(
    new Request(`${BASE}/api/auth/login`, {
      method: 'POST',
      headers: { origin: BASE, 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: PASSWORDS[user] }),
    }),
  );
  expect(response.status).toBe(204);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

async function ended(jobId: string): Promise<SentinelFailoverJob> {
  return waitFor(
    'the sentinel-failover job to end',
    async () => {
      const job = getJob(jobId) as SentinelFailoverJob | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    60_000,
    50,
  );
}

describe.each<[Flavour, { password?: string; sentinelPassword?: string }]>([
  ['redis', {}],
  ['valkey', { password: 'data-secret', sentinelPassword: 'sentinel-secret' }],
])('guided Sentinel failover on %s', (flavour, secrets) => {
  const id = `sg-${flavour}`;
  const name = `Orders ${flavour}`;
  const url = `/api/clusters/${id}/sentinel-failover`;
  const ctx = { params: Promise.resolve({ id }) };
  let group: SentinelGroup;
  let dir: string;
  let viewer: string;
  let operator: string;

  beforeAll(async () => {
    group = await startSentinelGroup({
      serverBin: serverBin(flavour),
      ...secrets,
      id,
      name,
      // 5 s leaves the pause 3 s before SENTINEL FAILOVER (down-after minus 2 s): the zero-loss path.
      downAfterMs: 5000,
      failoverTimeoutMs: 10_000,
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 'sentinel-failover-int-'));
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        clusters: [group.configEntry({ pollIntervalMs: 500 })],
        users: Object.entries(USERS).map(([user, role]) => ({
          name: user,
          role,
          passwordHash: bcrypt.hashSync(PASSWORDS[user as keyof typeof USERS], 4),
        })),
        auditLogPath: 'audit.jsonl',
      }),
    );
    stopPollers();
    freshStore();
    process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
    process.env.DASHBOARD_SESSION_SECRET = randomBytes(32).toString('base64url');
    viewer = await cookieOf('vera');
    operator = await cookieOf('otto');
    await waitFor('a first snapshot', async () => getSentinelPoller(id)?.latest, 15_000);
  }, 90_000);
  afterAll(async () => {
    stopPollers();
    await group?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Waits for a snapshot with the sentinels agreed and every replica linked and unflagged in their view. */
  const settled = (what: string) =>
    waitFor(
      what,
      async () => {
        const s = await getSentinelPoller(id)?.fresh();
        const quiet = s?.replicas.every(
          (r) => r.role === 'replica' && r.linkUp && r.sentinelFlags.every((f) => f === 'slave'),
        );
        return s?.agreement.agreed && quiet ? true : undefined;
      },
      45_000,
      250,
    );

  it('a viewer reads the plan but gets 403 on the start; a wrong confirmation names what to type', async () => {
    const plan = await planRoute(get(`${url}/plan`, viewer), ctx);
    expect(plan.status).toBe(200);
    const body = (await plan.json()) as SentinelFailoverPlan;
    expect(body.allowed).toBe(true);
    expect(body.masterAddr).toBe(group.master.addr);
    expect(group.replicas.map((r) => r.addr)).toContain(body.replica?.addr);
    expect(body.zeroLoss.guaranteed).toBe(true);

    expect((await startFailover(post(url, { confirm: name }, viewer), ctx)).status).toBe(403);
    const wrong = await startFailover(post(url, { confirm: 'orders' }, operator), ctx);
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain(`"${name}"`);
    expect(await group.currentMaster()).toBe(group.master.addr);
  });

  it('a guided failover under a 2,000 writes/s writer through HAProxy loses no acknowledged write', async () => {
    const oldMaster = group.master.addr;
    const frontend = group.haproxy?.frontendAddr ?? '';
    // Helper A's writer: one new key per write through HAProxy, bounded to 60 s by itself.
    const writer = startSentinelLossWriter({ frontend, password: secrets.password, perSecond: WRITES_PER_SECOND });
    await waitFor('the writer to write', async () => (writer.counts().acked > 500 ? true : undefined), 10_000);
    const response = await startFailover(post(url, { confirm: name }, operator), ctx);
    expect(response.status).toBe(200);
    const { jobId } = (await response.json()) as { jobId: string };
    // Once SENTINEL FAILOVER is sent, a cancel is refused with the reason (the sentinels carry it out anyway).
    await waitFor(
      'SENTINEL FAILOVER to be sent',
      async () => {
        const j = getJob(jobId);
        return j?.steps.find((s) => s.name === 'SENTINEL FAILOVER accepted')?.state !== 'pending' ? true : undefined;
      },
      30_000,
      5,
    );
    const cancel = await cancelRoute(post(`/api/jobs/${jobId}/cancel`, {}, operator), {
      params: Promise.resolve({ jobId }),
    });
    expect(cancel.status).toBe(409);
    expect(((await cancel.json()) as { error: { message: string } }).error.message).toMatch(
      /SENTINEL FAILOVER was sent/,
    );
    const job = await ended(jobId);
    expect(job.error).toBeUndefined();
    expect(job.result?.zeroLossKept).toBe(true);
    expect(job.state).toBe('succeeded');
    const newMaster = job.result?.newMaster ?? '';
    expect(group.replicas.map((r) => r.addr)).toContain(newMaster);
    const ackedAtEnd = writer.counts().acked;
    await waitFor(
      'writes acknowledged by the new master',
      async () => (writer.counts().acked > ackedAtEnd + 500 ? true : undefined),
      15_000,
    );
    const report = await writer.verify(newMaster);
    console.log(
      `[${flavour}] guided failover: ${JSON.stringify(report)}; job steps ${job.steps.map((s) => `${s.name}=${s.state}(${s.elapsedMs ?? '-'}ms)`).join(', ')}; timings ${JSON.stringify(job.result?.timings)}`,
    );
    expect(report.acked).toBeGreaterThan(1000);
    expect(report.lost).toBe(0);

    expect(await group.masterBySentinel()).toEqual(group.sentinels.map(() => newMaster));
    expect(await group.haproxy?.upServers()).toEqual([newMaster]);
    const role = (await group.client(oldMaster).call('ROLE')) as unknown[];
    expect([role[0], `${role[1]}:${role[2]}`]).toEqual(['slave', newMaster]);
    // Demoted as Sentinel does it: CONFIG REWRITE in the same MULTI, so a restart keeps it a replica.
    const configFile = parseInfo(String(await group.client(oldMaster).call('INFO', 'server'))).fields.config_file;
    if (configFile)
      expect(await readFile(configFile, 'utf8')).toMatch(new RegExp(`^replicaof ${newMaster.replace(':', ' ')}$`, 'm'));
    expect(job.steps.every((s) => s.state === 'done')).toBe(true);
    expect(job.result?.events.some((e) => e.event === '+switch-master')).toBe(true);
    const audit = (await readFile(path.join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.find((a) => a.action === 'sentinel.failover.result')).toMatchObject({
      result: 'ok',
      cluster: id,
      params: { zeroLossKept: true },
    });
    expect(audit.find((a) => a.action === 'sentinel.failover' && a.status === 200)).toMatchObject({ user: 'otto' });
    expect(audit.find((a) => a.action === 'sentinel.failover' && a.status === 403)).toMatchObject({ user: 'vera' });
  }, 120_000);

  it('a replica that cannot catch up: the pause ends below down-after, unpaused, no +sdown, SENTINEL FAILOVER never sent', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const before = await poller.fresh();
    const master = before.master?.addr ?? '';
    // A replica the sentinels might promote whose offset never comes (nothing listens there): the catch-up stalls.
    const template = before.replicas[0];
    if (!template) throw new Error('no replica');
    const ghost: SentinelDataNode = {
      ...template,
      addr: '127.0.0.3:1',
      reachable: true,
      priority: 100,
      sentinelFlags: ['slave'],
    };
    const stalled: SentinelSnapshot = { ...before, replicas: [...before.replicas, ghost] };
    // Every sentinel's own +sdown/+odown of the master, heard while the job runs.
    const downs: string[] = [];
    const listeners = group.sentinels.map((_, i) => group.sentinelClient(i));
    for (const l of listeners) {
      await l.connect();
      l.on('message', (channel: string, message: string) => {
        if (message.startsWith('master ')) downs.push(`${channel} ${message}`);
      });
      await l.subscribe('+sdown', '+odown');
    }
    const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
      runSentinelFailover({ deployment: poller.deployment, snapshots: { fresh: async () => stalled } }, handle),
    );
    const done = await ended(job.id);
    const step = (n: string) => done.steps.find((s) => s.name === n)?.state;
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/reached its bound \(3000 ms|did not reach the master's offset within/);
    expect(step('SENTINEL FAILOVER accepted')).toBe('pending');
    expect(step('writes unpaused on the old master')).toBe('done');
    // The sentinels never saw the paused master down (the pause stayed below down-after-milliseconds).
    const sentinel = group.sentinelClient(0);
    await sentinel.connect();
    try {
      const flags = (await sentinel.call('SENTINEL', 'MASTER', group.masterName)) as string[];
      expect(flags[flags.indexOf('flags') + 1]).toBe('master');
    } finally {
      sentinel.disconnect();
    }
    for (const l of listeners) l.disconnect();
    expect(downs).toEqual([]);
    const started = Date.now();
    await group.client(master).set('after-stalled-catch-up', '1');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await group.currentMaster()).toBe(master);
  }, 60_000);

  it('NOGOODSLAVE from the sentinel (its view is newer than the plan): the job stops, unpaused, the master kept', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const before = await poller.fresh();
    const master = before.master?.addr ?? '';
    const replicas = before.replicas.map((r) => r.addr);
    // The plan is made on `before`; meanwhile every replica says it must never be promoted, and the sentinels see it.
    for (const r of replicas) await group.client(r).call('CONFIG', 'SET', 'replica-priority', '0');
    const sentinel = group.sentinelClient(0);
    await sentinel.connect();
    try {
      await waitFor(
        'the sentinels to see replica-priority 0',
        async () => {
          const listed = (await sentinel.call('SENTINEL', 'REPLICAS', group.masterName)) as string[][];
          return listed.every((r) => r[r.indexOf('slave-priority') + 1] === '0') ? true : undefined;
        },
        30_000,
        250,
      );
      const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
        runSentinelFailover({ deployment: poller.deployment, snapshots: { fresh: async () => before } }, handle),
      );
      const done = await ended(job.id);
      expect(done.state).toBe('failed');
      expect(done.error).toMatch(/NOGOODSLAVE/);
      const step = (n: string) => done.steps.find((s) => s.name === n)?.state;
      expect(step('writes paused on the master')).toBe('done');
      expect(step('SENTINEL FAILOVER accepted')).toBe('failed');
      expect(step('writes unpaused on the old master')).toBe('done');
      // Unpaused: a write on the master is answered at once (paused, it would wait for the pause to run out).
      const started = Date.now();
      await group.client(master).set('after-nogoodslave', '1');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await group.currentMaster()).toBe(master);
    } finally {
      sentinel.disconnect();
      for (const r of replicas) await group.client(r).call('CONFIG', 'SET', 'replica-priority', '100');
    }
  }, 60_000);

  it("a SIGSTOPped master fails over through the sentinels' own vote, and the snapshot shows it", async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const oldMaster = await group.currentMaster();
    // Every snapshot on the way: no node but the stopped master may be called down (o_down), whatever mid-failover
    // replies the sentinels give (GET-MASTER-ADDR-BY-NAME switched, SENTINEL MASTER still on the old master).
    const wrong: string[] = [];
    let midFailover = 0;
    const watch = (s: SentinelSnapshot) => {
      for (const f of sentinelFindings(s))
        if (f.code === 'sentinel_master_down' && f.nodeIds[0] !== oldMaster) wrong.push(`${f.headline}`);
      for (const n of [s.master, ...s.replicas])
        if (n && n.addr !== oldMaster && n.sentinelFlags.includes('o_down')) wrong.push(`${n.addr} flagged o_down`);
      if (s.sentinels.some((v) => v.masterFlagsAddr && v.masterAddr && v.masterFlagsAddr !== v.masterAddr))
        midFailover++;
    };
    group.pause(oldMaster);
    try {
      const promoted = await waitFor(
        'the snapshot to name a new master and the old one down',
        async () => {
          const s = await poller.fresh();
          watch(s);
          const old = s.replicas.find((r) => r.addr === oldMaster);
          const down = old && (!old.reachable || old.sentinelFlags.includes('s_down'));
          return s.master && s.master.addr !== oldMaster && s.agreement.agreed && down ? s.master.addr : undefined;
        },
        45_000,
        250,
      );
      expect(await group.masterBySentinel()).toEqual(group.sentinels.map(() => promoted));
      expect(wrong).toEqual([]);
      console.log(
        `[${flavour}] snapshots caught mid-failover (a sentinel naming one master, describing another): ${midFailover}`,
      );
    } finally {
      group.resume(oldMaster);
    }
    const newMaster = await group.currentMaster();
    await waitFor(
      'the old master to come back as a replica of the new one',
      async () => {
        const s = await poller.fresh();
        const old = s.replicas.find((r) => r.addr === oldMaster);
        return old?.reachable && old.role === 'replica' && old.masterAddr === newMaster ? true : undefined;
      },
      60_000,
      250,
    );
  }, 150_000);

  it('one sentinel stopped: the failover completes on a majority of all configured sentinels, naming the silent one', async () => {
    const poller = getSentinelPoller(id);
    const stopped = group.sentinels[2]?.addr ?? '';
    await group.stopSentinel(2);
    try {
      await waitFor(
        'the snapshot to see two sentinels and a settled master',
        async () => {
          const s = await poller?.fresh();
          return s?.agreement.reachable === 2 && s.agreement.agreed && s.replicas.every((r) => r.linkUp)
            ? true
            : undefined;
        },
        30_000,
        250,
      );
      const response = await startFailover(post(url, { confirm: name }, operator), ctx);
      expect(response.status).toBe(200);
      const job = await ended(((await response.json()) as { jobId: string }).jobId);
      expect(job.error).toBeUndefined();
      expect(job.result?.sentinelsSilent).toEqual([stopped]);
      expect(job.result?.sentinelsAgreeing).toBe(2);
      expect(job.steps.find((s) => s.name === 'every sentinel names the new master')?.detail).toMatch(
        new RegExp(`^partial: 2 of 3 .*no answer from ${stopped.replace(/\./g, '\\.')}`),
      );
    } finally {
      await group.startSentinel(2);
    }
    await waitFor(
      'three sentinels again',
      async () => ((await poller?.fresh())?.agreement.reachable === 3 ? true : undefined),
      30_000,
      250,
    );
  }, 90_000);

  it('a replica answering role:master (a rogue) is neither waited for nor taken as the promoted node', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const before = await poller.fresh();
    const master = before.master?.addr ?? '';
    const [rogue, other] = before.replicas.map((r) => r.addr);
    if (!rogue || !other) throw new Error('two replicas needed');
    // The sentinels would promote the other one (a higher replica-priority number ranks the rogue last).
    await group.client(rogue).call('CONFIG', 'SET', 'replica-priority', '200');
    const sentinel = group.sentinelClient(0);
    await sentinel.connect();
    try {
      await waitFor(
        'the sentinels to see replica-priority 200',
        async () => {
          const listed = (await sentinel.call('SENTINEL', 'REPLICAS', group.masterName)) as string[][];
          const r = listed.find((l) => `${l[l.indexOf('ip') + 1]}:${l[l.indexOf('port') + 1]}` === rogue);
          return r && r[r.indexOf('slave-priority') + 1] === '200' ? true : undefined;
        },
        30_000,
        250,
      );
      await group.client(rogue).call('REPLICAOF', 'NO', 'ONE');
      // The plan is made on the snapshot from before (the pre-check that blocks a second master is not what is
      // tested here); the job's later reads (HAProxy, verify) are fresh.
      let planned = false;
      const snapshots = {
        fresh: async () => {
          if (planned) return poller.fresh();
          planned = true;
          return before;
        },
      };
      const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
        runSentinelFailover({ deployment: poller.deployment, snapshots }, handle),
      );
      const done = await ended(job.id);
      const detail = (n: string) => done.steps.find((s) => s.name === n)?.detail ?? '';
      expect(detail('promotable replicas caught up')).toContain(
        `${rogue} answers role:master (not a replica of the master`,
      );
      expect(done.error, JSON.stringify(done.steps)).toBeUndefined();
      expect(done.result?.newMaster).toBe(other);
      expect(done.result?.caughtUp?.replicas[rogue]).toBeUndefined();
      const role = (await group.client(master).call('ROLE')) as unknown[];
      expect([role[0], `${role[1]}:${role[2]}`]).toEqual(['slave', other]);
    } finally {
      sentinel.disconnect();
      await group.client(rogue).call('CONFIG', 'SET', 'replica-priority', '100');
    }
    await settled('the rogue to replicate from the new master again');
  }, 120_000);

  it('commit() while a renewal is in flight: one more CLIENT PAUSE follows it, so writers stay held', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const master = await group.currentMaster();
    const links = new FailoverLinks(poller.deployment);
    // A 900 ms slice renewed every 300 ms, up to 900 ms before commit.
    const timings = {
      pauseSliceMs: 900,
      pauseLimitMs: 900,
      catchUpMs: 900,
      downAfterMs: 5000,
      failoverTimeoutMs: 10_000,
    };
    const pause = new WritePause(links, master, timings);
    const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - Date.now())));
    const t0 = Date.now();
    try {
      await pause.start();
      // The timed set-up is the point: the renewal sent at 300 ms (cut to the old end, 900 ms) queues on the job's
      // connection behind a read blocked until ~700 ms (XREAD BLOCK: not a write, so not paused), across the 600 ms
      // tick; commit() comes at 400 ms, while it is in flight. Without a renewal chained after it, the 900 ms tick
      // finds the pause run out.
      await at(250);
      const blocked = links.node(master, 'XREAD', 'BLOCK', 450, 'STREAMS', 'h16m-no-such-stream', '$');
      await at(400);
      pause.commit(Date.now() + 10_000);
      await at(1300);
      await blocked;
      expect(pause.lapsedAt).toBeUndefined();
      expect(pause.covering()).toBe(true);
    } finally {
      await pause.release();
      links.close();
    }
  }, 30_000);

  it('a data-node user without CONFIG REWRITE still demotes the old master (REPLICAOF in the MULTI), and a note says so', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    await settled('a settled group before the failover');
    const nodes = [group.master, ...group.replicas].map((n) => n.addr);
    for (const n of nodes)
      await group
        .client(n)
        .call('ACL', 'SETUSER', 'failover', 'on', '>failover-secret', '~*', '&*', '+@all', '-config|rewrite');
    const deployment = { ...poller.deployment, username: 'failover', password: 'failover-secret' };
    try {
      const oldMaster = await group.currentMaster();
      const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
        runSentinelFailover({ deployment, snapshots: poller }, handle),
      );
      const done = await ended(job.id);
      expect(done.error).toBeUndefined();
      expect(done.state).toBe('succeeded');
      const newMaster = done.result?.newMaster ?? '';
      expect(done.result?.zeroLossKept).toBe(true);
      expect(done.result?.notes.join(' ')).toMatch(
        new RegExp(
          `CONFIG REWRITE was refused on ${oldMaster}.*NOPERM|CONFIG REWRITE was refused on ${oldMaster}.*permission`,
          'i',
        ),
      );
      expect(done.steps.find((s) => s.name === 'old master is a replica of the new one')?.detail).toMatch(
        /REPLICAOF and CLIENT KILL sent by the job in one MULTI/,
      );
      const role = (await group.client(oldMaster).call('ROLE')) as unknown[];
      expect([role[0], `${role[1]}:${role[2]}`]).toEqual(['slave', newMaster]);
    } finally {
      for (const n of nodes) await group.client(n).call('ACL', 'DELUSER', 'failover');
    }
  }, 90_000);

  it('a data-node user without REPLICAOF: writers are not paused (the plan says why), Sentinel demotes the old master', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    await settled('a settled group before the failover');
    const nodes = [group.master, ...group.replicas].map((n) => n.addr);
    for (const n of nodes)
      await group
        .client(n)
        .call('ACL', 'SETUSER', 'nodemote', 'on', '>nodemote-secret', '~*', '&*', '+@all', '-replicaof', '-slaveof');
    const deployment = { ...poller.deployment, username: 'nodemote', password: 'nodemote-secret' };
    try {
      const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
        runSentinelFailover({ deployment, snapshots: poller }, handle),
      );
      const done = await ended(job.id);
      const step = (n: string) => done.steps.find((s) => s.name === n);
      expect(step('writes paused on the master')?.state).toBe('skipped');
      expect(step('writes paused on the master')?.detail).toMatch(/may not run REPLICAOF .*so it does not pause them/);
      expect(done.error).toBeUndefined();
      expect(step('old master is a replica of the new one')?.detail).toMatch(
        // Sentinel's CLIENT KILL, as it converts the node, may cut the job's read: then the step says it is Sentinel's.
        /Sentinel's own \+convert-to-slave|Sentinel makes it a replica/,
      );
    } finally {
      for (const n of nodes) await group.client(n).call('ACL', 'DELUSER', 'nodemote');
    }
  }, 90_000);

  it('a configured sentinel that monitors another name (nil for this one) does not fail the agreement', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    await settled('a settled group before the failover');
    // A fourth sentinel, monitoring a master name of its own (at an address nothing listens on, quorum it cannot reach).
    const other = await startSentinelProcess({
      host: '127.0.0.1',
      dir,
      masterName: 'elsewhere',
      masterHost: '127.0.0.3',
      masterPort: 1,
      quorum: 2,
      downAfterMs: 5000,
      failoverTimeoutMs: 10_000,
      sentinelPassword: secrets.sentinelPassword,
      serverBin: flavour === 'valkey' ? serverBin(flavour) : undefined,
    });
    try {
      const deployment = { ...poller.deployment, sentinels: [...poller.deployment.sentinels, other.addr] };
      const job = startJob<SentinelFailoverResult>('sentinel-failover', id, 'test', (handle) =>
        runSentinelFailover({ deployment, snapshots: poller }, handle),
      );
      const done = await ended(job.id);
      expect(done.error).toBeUndefined();
      expect(done.state).toBe('succeeded');
      expect(done.result?.sentinelsAgreeing).toBe(3);
      const step = done.steps.find((s) => s.name === 'every sentinel names the new master');
      expect(step?.detail).toMatch(new RegExp(`^partial: 3 of 4 .*${other.addr.replace(/\./g, '\\.')} not monitoring`));
      expect(done.result?.notes.join(' ')).toMatch(/not monitoring .*GET-MASTER-ADDR-BY-NAME answers nil/);
    } finally {
      await stopTracked(other, 2000);
    }
  }, 90_000);

  // T#2: with HAProxy dead the plan warns, and the job reports the failover it made: succeeded, HAProxy unverified.
  it('HAProxy killed by PID: the plan warns, the job succeeds with HAProxy unverified and a note, the master moves', async () => {
    const poller = getSentinelPoller(id);
    const haproxy = group.haproxy;
    if (!poller || !haproxy) throw new Error('no poller or no HAProxy');
    const oldMaster = await group.currentMaster();
    await waitFor(
      'a settled deployment (one master, every replica linked)',
      async () => {
        const s = await poller.fresh();
        return s.agreement.agreed &&
          s.agreement.reachable === 3 &&
          s.replicas.every((r) => r.linkUp && r.role === 'replica')
          ? true
          : undefined;
      },
      30_000,
      250,
    );
    process.kill(haproxy.pid, 'SIGKILL');
    await waitFor(
      'the snapshot to see HAProxy not answering',
      async () => ((await poller.fresh()).haproxy?.reachable === false ? true : undefined),
      10_000,
      100,
    );
    const planResponse = await planRoute(get(`${url}/plan`, operator), ctx);
    const plan = (await planResponse.json()) as SentinelFailoverPlan;
    const readable = plan.checks.find((c) => c.name === 'HAProxy stats readable');
    expect(readable?.status).toBe('warn');
    expect(readable?.detail).toMatch(/cannot verify where HAProxy routes/);
    expect(plan.allowed).toBe(true);

    const response = await startFailover(post(url, { confirm: name }, operator), ctx);
    expect(response.status).toBe(200);
    const job = await ended(((await response.json()) as { jobId: string }).jobId);
    const newMaster = job.result?.newMaster ?? '';
    console.log(
      `[${flavour}] HAProxy dead: ${job.state}; ${job.steps.map((s) => `${s.name}=${s.state}(${s.elapsedMs ?? '-'}ms)`).join(', ')}`,
    );
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(newMaster).not.toBe(oldMaster);
    const step = job.steps.find((s) => s.name === 'HAProxy routes to the new master only');
    expect(step?.state).toBe('skipped');
    expect(step?.detail).toMatch(/^unverified: its stats do not answer/);
    expect(job.steps.find((s) => s.name === 'verified')?.state).toBe('done');
    // The warning is carried into the job's own pre-check step, never counted as passed.
    expect(job.steps.find((s) => s.name === 'pre-checks on a fresh snapshot')?.detail).toMatch(
      /checks passed; warned: .*HAProxy stats readable/,
    );
    expect(job.result?.haproxyUnverified).toMatch(/its stats do not answer/);
    expect(job.result?.notes).toContainEqual(
      expect.stringContaining(`The master changed to ${newMaster}; HAProxy's routing could not be verified: `),
    );
    expect(await group.masterBySentinel()).toEqual(group.sentinels.map(() => newMaster));
    const audit = (await readFile(path.join(dir, 'audit.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit.filter((a) => a.action === 'sentinel.failover.result').at(-1)).toMatchObject({
      result: 'ok',
      targets: [oldMaster, newMaster],
      params: { haproxy: { verified: false } },
    });
  }, 90_000);

  // T#2: during a split brain every pre-check used to pass. SENTINEL FAILOVER may promote a replica that says master.
  it('a replica answering role:master (REPLICAOF NO ONE): the plan fails on it and the start is refused', async () => {
    const poller = getSentinelPoller(id);
    if (!poller) throw new Error('no poller');
    const master = await group.currentMaster();
    const rogue = group.replicas.map((r) => r.addr).find((a) => a !== master) ?? '';
    await group.client(rogue).call('REPLICAOF', 'NO', 'ONE');
    try {
      await waitFor(
        'the snapshot to see the second master',
        async () =>
          (await poller.fresh()).replicas.some((r) => r.addr === rogue && r.role === 'master') ? true : undefined,
        5_000,
        50,
      );
      const plan = (await (await planRoute(get(`${url}/plan`, operator), ctx)).json()) as SentinelFailoverPlan;
      const second = plan.checks.find((c) => c.name === 'no second node answering role:master');
      expect(second).toMatchObject({ status: 'fail', value: rogue });
      expect(plan.allowed).toBe(false);
      const response = await startFailover(post(url, { confirm: name }, operator), ctx);
      expect(response.status).toBe(409);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
        `no second node answering role:master (${rogue})`,
      );
    } finally {
      await group.client(rogue).call('REPLICAOF', ...master.replace(/:(\d+)$/, ' $1').split(' '));
    }
    await waitFor(
      'the rogue to be a linked replica again',
      async () => {
        const r = (await poller.fresh()).replicas.find((n) => n.addr === rogue);
        return r?.role === 'replica' && r.linkUp ? true : undefined;
      },
      30_000,
      250,
    );
    expect(await group.currentMaster()).toBe(master);
  }, 60_000);

  it('with quorum lost the start is refused, naming the check', async () => {
    await group.stopSentinel(1);
    await group.stopSentinel(2);
    const poller = getSentinelPoller(id);
    await waitFor(
      'the snapshot to see one sentinel',
      async () => ((await poller?.fresh())?.agreement.reachable === 1 ? true : undefined),
      15_000,
    );
    const response = await startFailover(post(url, { confirm: name }, operator), ctx);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /pre-checks failed.*sentinels reachable \(1 of 3/,
    );
  }, 60_000);
});
