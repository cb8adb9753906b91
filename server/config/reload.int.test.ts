import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { principalFromToken, SESSION_COOKIE, sessionCookie } from '../auth/session';
import { currentConfig, getPoller, listClusters, startPollers, stopPollers } from '../collect/pollers';
import { startJob } from '../jobs/registry';
import { reloadConfig, unwatchConfig, watchConfig } from './reload';

// The config reloaded in a running server process (as SIGHUP or a file change does), against a real cluster: sessions
// bound to the credential they were opened with, and pollers started, replaced and stopped as the clusters change.

const hash = (c: string) => `$2b$10$${c.repeat(53)}`;
const KIOSK = 'kiosk-token-one-0123456789';
let dev: DevCluster;
let dir: string;
let file: string;

function config(edit: (c: ReturnType<typeof base>) => void = () => {}) {
  const c = base();
  edit(c);
  return c;
}

function base() {
  const cluster = {
    id: 'main',
    name: 'Main',
    seeds: [dev.nodes[0]?.addr ?? ''],
    password: dev.password,
    pollIntervalMs: 250,
    nodeDeadlineMs: 500,
    latencySampleMs: 0,
  };
  return {
    clusters: [cluster] as Array<typeof cluster>,
    users: [{ name: 'ann', role: 'admin', passwordHash: hash('a') }],
    kioskToken: KIOSK as string | undefined,
    auditLogPath: 'audit.jsonl',
  };
}

async function write(value: object): Promise<void> {
  await writeFile(file, JSON.stringify(value, null, 2));
}

async function reloadWith(value: object) {
  await write(value);
  const result = reloadConfig('SIGHUP');
  if (!result.applied) throw new Error(`not reloaded: ${result.problems.join('; ')}`);
  return result;
}

/** The token of a session cookie as the login and kiosk routes set it. */
function openSession(subject: { sub: string; kind: 'user' | 'kiosk' }, credential: string): string {
  const cookie = sessionCookie(new Request('http://127.0.0.1/'), subject, credential);
  return cookie.slice(`${SESSION_COOKIE}=`.length, cookie.indexOf(';'));
}

const polled = (id: string) =>
  waitFor(`a snapshot of ${id}`, async () => getPoller(id)?.latest ?? undefined, 15_000, 50);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reload-int-'));
  file = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ replicasPerMaster: 0, password: 'reload-test-pw' });
  await write(base());
  process.env.DASHBOARD_CONFIG = file;
  process.env.DASHBOARD_SESSION_SECRET = 'r'.repeat(32);
  startPollers();
  await polled('main');
}, 120_000);

afterAll(async () => {
  unwatchConfig();
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('config reload', () => {
  it('ends the sessions of a changed password, a removed user and a changed kiosk token; a new role applies at once', async () => {
    const ann = openSession({ sub: 'ann', kind: 'user' }, hash('a'));
    const kiosk = openSession({ sub: 'kiosk', kind: 'kiosk' }, KIOSK);
    expect(principalFromToken(ann)).toEqual({ kind: 'user', name: 'ann', role: 'admin' });
    expect(principalFromToken(kiosk)).toEqual({ kind: 'kiosk' });

    await reloadWith(config((c) => Object.assign(c.users[0] ?? {}, { role: 'viewer' })));
    expect(principalFromToken(ann)).toEqual({ kind: 'user', name: 'ann', role: 'viewer' });

    const result = await reloadWith(config((c) => Object.assign(c.users[0] ?? {}, { passwordHash: hash('b') })));
    expect(result.plan.summary).toBe('users 1 -> 1 (new password ann, role ann:admin)');
    expect(principalFromToken(ann)).toBeUndefined();
    const annAgain = openSession({ sub: 'ann', kind: 'user' }, hash('b'));
    expect(principalFromToken(annAgain)).toEqual({ kind: 'user', name: 'ann', role: 'admin' });
    expect(principalFromToken(kiosk)).toEqual({ kind: 'kiosk' });

    await reloadWith(
      config((c) => {
        c.users = [];
        c.kioskToken = 'kiosk-token-two-0123456789';
      }),
    );
    expect(principalFromToken(annAgain)).toBeUndefined();
    expect(principalFromToken(kiosk)).toBeUndefined();
    expect(principalFromToken(openSession({ sub: 'kiosk', kind: 'kiosk' }, 'kiosk-token-two-0123456789'))).toEqual({
      kind: 'kiosk',
    });
    await reloadWith(config());
  });

  it('keeps the running config when the new file is invalid', async () => {
    const running = currentConfig();
    await write(config((c) => Object.assign(c.clusters[0] ?? {}, { seeds: ['not-an-address'] })));
    const result = reloadConfig('SIGHUP');
    expect(result).toEqual({ applied: false, problems: ['clusters.0.seeds.0: expected "host:port"'] });
    expect(currentConfig()).toBe(running);
    expect(getPoller('main')?.cluster.seeds).toEqual(base().clusters[0]?.seeds);
    await reloadWith(config((c) => Object.assign(c, { users: [] })));
    // Both reloads are in the audit log: the refused one with the fields, the applied one with what changed.
    const entries = await waitFor(
      'the reload lines in the audit log',
      async () => {
        const text = await readFile(path.join(dir, 'audit.jsonl'), 'utf8').catch(() => '');
        const lines = text
          .trim()
          .split('\n')
          .filter(Boolean)
          .map(
            (l) => JSON.parse(l) as { action: string; result: string; reason?: string; params?: { changes?: string } },
          );
        const reloads = lines.filter((e) => e.action === 'config.reload');
        return reloads.some((e) => e.result === 'failed') &&
          reloads.some((e) => e.params?.changes?.includes('removed ann'))
          ? reloads
          : undefined;
      },
      5_000,
      50,
    );
    expect(entries.find((e) => e.result === 'failed')?.reason).toContain('clusters.0.seeds.0');
    await reloadWith(config());
  });

  it('starts, replaces and stops pollers as clusters are added, changed and removed', async () => {
    const main = base().clusters[0];
    if (!main) throw new Error('no cluster');
    const added = await reloadWith(config((c) => c.clusters.push({ ...main, id: 'copy', name: 'Copy' })));
    expect(added.sync).toEqual({ started: ['copy'], stopped: [], replaced: [], deferred: [] });
    expect(listClusters()).toEqual([
      { id: 'main', name: 'Main' },
      { id: 'copy', name: 'Copy' },
    ]);
    expect((await polled('copy')).summary.nodes).toBe(3);

    const old = getPoller('main');
    let stopped = false;
    old?.onStop(() => {
      stopped = true;
    });
    const renamed = await reloadWith(
      config((c) => {
        c.clusters = [
          { ...main, name: 'Main renamed' },
          { ...main, id: 'copy', name: 'Copy' },
        ];
      }),
    );
    expect(renamed.sync.replaced).toEqual(['main']);
    expect(stopped).toBe(true);
    const now = getPoller('main');
    expect(now).not.toBe(old);
    expect(now?.cluster.name).toBe('Main renamed');
    // Same window and sampling: the trends carry over.
    expect(now?.history).toBe(old?.history);
    await polled('main');

    const removed = await reloadWith(config());
    expect(removed.sync).toMatchObject({ stopped: ['copy'], replaced: ['main'] });
    expect(getPoller('copy')).toBeUndefined();
  });

  it('keeps the poller of a cluster a job runs on until the job ends, then applies the change', async () => {
    const poller = getPoller('main');
    let finish = () => {};
    startJob('test', 'main', 'ann', () => new Promise<void>((resolve) => (finish = resolve)));
    const result = await reloadWith(config((c) => Object.assign(c.clusters[0] ?? {}, { pollIntervalMs: 300 })));
    expect(result.sync.deferred).toEqual(['main']);
    expect(getPoller('main')).toBe(poller);
    // Still polling: a job that waits for a fresh snapshot (a failover's verification) gets one.
    const before = poller?.polls ?? 0;
    await waitFor('the kept poller to poll', async () => ((poller?.polls ?? 0) > before ? true : undefined), 5000, 50);

    finish();
    const next = await waitFor(
      'the poller to be replaced',
      async () => {
        const now = getPoller('main');
        return now !== poller ? now : undefined;
      },
      5000,
    );
    expect(next?.cluster.pollIntervalMs).toBe(300);
    await polled('main');
  });

  it('reloads when an editor renames a new file over the config', async () => {
    watchConfig(file);
    const replacement = path.join(dir, 'config.json.tmp');
    await writeFile(
      replacement,
      JSON.stringify(config((c) => Object.assign(c.clusters[0] ?? {}, { name: 'Swapped' }))),
    );
    await rename(replacement, file);
    await waitFor(
      'the renamed file to be loaded',
      async () => (listClusters()[0]?.name === 'Swapped' ? true : undefined),
      5000,
    );
  });
});
