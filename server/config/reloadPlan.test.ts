import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig, resolveConfig } from './load';
import { loadReload } from './reload';
import { changedClusterFields, planReload } from './reloadPlan';

const hash = (c: string) => `$2b$10$${c.repeat(53)}`;
const SECRET = 's'.repeat(32);
const env = { DASHBOARD_SESSION_SECRET: SECRET };

const base = {
  clusters: [
    { id: 'a', name: 'A', seeds: ['127.0.0.1:7000'], password: 'redis-pw-a' },
    { id: 'b', name: 'B', seeds: ['127.0.0.1:8000'] },
  ],
  users: [
    { name: 'ann', role: 'admin', passwordHash: hash('a') },
    { name: 'bob', role: 'viewer', passwordHash: hash('b') },
  ],
  kioskToken: 'kiosk-token-one-0123456789',
  dataDir: './data',
};
type Raw = typeof base;

const resolve = (raw: object, e: Record<string, string> = env) => resolveConfig(raw, '/etc/dash/config.json', e);

function edited(edit: (raw: Raw) => void): ResolvedConfig {
  const raw = structuredClone(base);
  edit(raw);
  return resolve(raw);
}

describe('planReload', () => {
  it('finds nothing to do in the same file', () => {
    const plan = planReload(resolve(base), resolve(structuredClone(base)));
    expect(plan).toMatchObject({ added: [], removed: [], changed: [], summary: 'no changes', notes: [] });
  });

  it('sorts clusters into added, removed and changed (naming the changed settings, not their values)', () => {
    const next = edited((raw) => {
      raw.clusters = [
        { id: 'a', name: 'A', seeds: ['127.0.0.1:7001'], password: 'redis-pw-new' },
        { id: 'c', name: 'C', seeds: ['127.0.0.1:9000'] },
      ];
    });
    const plan = planReload(resolve(base), next);
    expect(plan.added).toEqual(['c']);
    expect(plan.removed).toEqual(['b']);
    expect(plan.changed).toEqual([{ id: 'a', fields: ['password', 'seeds'] }]);
    expect(plan.summary).toBe('clusters added c; clusters removed b; cluster a changed (password, seeds)');
    expect(plan.summary).not.toContain('redis-pw');
  });

  it('counts a default written out as no change, and any other setting as one', () => {
    const current = resolve(base);
    expect(
      changedClusterFields(
        current.clusters[0] ?? never(),
        edited((raw) => {
          Object.assign(raw.clusters[0] ?? never(), { pollIntervalMs: 1000, natMap: {} });
        }).clusters[0] ?? never(),
      ),
    ).toEqual([]);
    expect(
      changedClusterFields(
        current.clusters[1] ?? never(),
        edited((raw) => {
          Object.assign(raw.clusters[1] ?? never(), { pollIntervalMs: 500, name: 'Bee' });
        }).clusters[1] ?? never(),
      ),
    ).toEqual(['name', 'pollIntervalMs']);
  });

  it('names users added, removed, with a new password or role, and token changes without their values', () => {
    const next = edited((raw) => {
      raw.users = [
        { name: 'ann', role: 'operator', passwordHash: hash('c') },
        { name: 'cy', role: 'viewer', passwordHash: hash('d') },
      ];
      raw.kioskToken = 'kiosk-token-two-0123456789';
    });
    const plan = planReload(resolve(base), next);
    expect(plan.summary).toBe(
      'users 2 -> 2 (added cy, removed bob, new password ann, role ann:operator); kioskToken changed',
    );
    expect(plan.summary).not.toMatch(/kiosk-token|\$2b\$/);
    const removed = planReload(
      resolve(base),
      edited((raw) => Object.assign(raw, { kioskToken: undefined })),
    );
    expect(removed.summary).toBe('kioskToken removed');
  });

  it('names every applied top-level setting that changed, audit rotation included', () => {
    const next = resolve({
      ...base,
      auditMaxBytes: 1_048_576,
      auditKeepFiles: 9,
      sessionTtlHours: 24,
      metricsToken: 'metrics-token-0123456789abcdef',
      allowedOrigins: ['https://dash.example.com'],
      trustedProxies: ['10.0.0.5'],
      allowedHosts: ['dash.example.com'],
      auditLogPath: './other-audit.jsonl',
    });
    const current = resolve(base);
    const plan = planReload(current, next);
    for (const line of [
      `auditMaxBytes ${current.auditMaxBytes} -> 1048576`,
      `auditKeepFiles ${current.auditKeepFiles} -> 9`,
      `sessionTtlHours ${current.sessionTtlHours} -> 24`,
      'metricsToken set',
      'allowedOrigins 0 -> 1',
      'trustedProxies 0 -> 1',
      `allowedHosts ${current.allowedHosts.length} -> 1`,
      'auditLogPath /etc/dash/other-audit.jsonl',
    ]) {
      expect(plan.summary).toContain(line);
    }
    expect(planReload(current, resolve({ ...base, auditKeepFiles: 9 })).summary).toBe(
      `auditKeepFiles ${current.auditKeepFiles} -> 9`,
    );
  });

  it('keeps the session secret, read-only switch and data folder the process started with', () => {
    const current = resolve(base, { ...env, DASHBOARD_READ_ONLY: '1' });
    const next = resolveConfig({ ...base, dataDir: './elsewhere' }, '/etc/dash/config.json', {
      DASHBOARD_SESSION_SECRET: 'n'.repeat(32),
    });
    const plan = planReload(current, next);
    expect(plan.config).toMatchObject({ sessionSecret: SECRET, readOnly: true, dataDir: '/etc/dash/data' });
    expect(plan.notes).toEqual([
      'dataDir changed to /etc/dash/elsewhere: it takes a restart; still using /etc/dash/data',
    ]);
  });
});

describe('loadReload', () => {
  it('keeps the running config when the new file is invalid, naming the field and never a value', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'reload-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(base));
    const current = loadConfig({ ...env, DASHBOARD_CONFIG: file });

    writeFileSync(file, JSON.stringify({ ...base, users: [{ name: 'ann', role: 'root', passwordHash: hash('a') }] }));
    const refused = loadReload(current, env);
    expect(refused).toEqual({ applied: false, problems: [expect.stringMatching(/^users\.0\.role: /)] });

    writeFileSync(file, `{"clusters": [], "kioskToken": kiosk-token-two-0123456789}`);
    const syntax = loadReload(current, env);
    expect(syntax).toEqual({
      applied: false,
      problems: [expect.stringMatching(/^\(file\): not valid JSON at line 1/)],
    });
    expect(JSON.stringify(syntax)).not.toContain('kiosk-token');

    writeFileSync(file, JSON.stringify({ ...base, users: [] }));
    const applied = loadReload(current, {});
    expect(applied.applied && applied.plan.config.users).toEqual([]);
    // No DASHBOARD_SESSION_SECRET this time: the running secret is kept, not replaced by a random one.
    expect(applied.applied && applied.plan.config.sessionSecret).toBe(SECRET);
  });
});

function never(): never {
  throw new Error('missing fixture');
}
