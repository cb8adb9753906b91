import { describe, expect, it } from 'vitest';
import { DashboardConfig, describeConfigIssues } from './schema';

const ok = { clusters: [{ id: 'prod-1', name: 'Prod', seeds: ['10.0.0.1:6379', '[::1]:7000', 'redis-0.svc:6380'] }] };

function problems(input: unknown): string[] {
  const result = DashboardConfig.safeParse(input);
  return result.success ? [] : describeConfigIssues(result.error);
}

describe('DashboardConfig', () => {
  it('accepts a minimal config and fills the defaults', () => {
    const config = DashboardConfig.parse(ok);
    expect(config.clusters[0]).toMatchObject({ pollIntervalMs: 1000, nodeDeadlineMs: 1000, natMap: {} });
  });

  it('names the field and the reason', () => {
    expect(problems({ clusters: [{ ...ok.clusters[0], seeds: ['10.0.0.1'] }] })).toEqual([
      'clusters.0.seeds.0: expected "host:port"',
    ]);
    expect(problems({ clusters: [{ ...ok.clusters[0], seeds: ['10.0.0.1:99999'] }] })).toEqual([
      'clusters.0.seeds.0: port must be 1-65535',
    ]);
    expect(problems({ clusters: [{ ...ok.clusters[0], pollIntervalMs: 10 }] })[0]).toMatch(
      /^clusters\.0\.pollIntervalMs: /,
    );
    expect(problems({ clusters: [] })).toEqual(['clusters: configure at least one cluster or Sentinel deployment']);
  });

  it('takes a Sentinel deployment beside clusters, and names its fields when they are wrong', () => {
    const sentinel = {
      kind: 'sentinel',
      id: 'cache',
      name: 'Cache',
      sentinels: ['10.0.0.1:26379'],
      masterName: 'mymaster',
    };
    const config = DashboardConfig.parse({ clusters: [ok.clusters[0], sentinel] });
    expect(config.clusters[1]).toMatchObject({ kind: 'sentinel', pollIntervalMs: 1000, natMap: {} });
    expect(problems({ clusters: [{ ...sentinel, sentinels: ['10.0.0.1'] }] })).toEqual([
      'clusters.0.sentinels.0: expected "host:port"',
    ]);
    expect(problems({ clusters: [{ ...sentinel, haproxy: { backend: 'redis' } }] })).toEqual([
      'clusters.0.haproxy.statsSocket: give statsSocket or statsUrl, one of them',
    ]);
    expect(problems({ clusters: [{ ...sentinel, sentinelPassword: 'a', sentinelPasswordEnv: 'B' }] })).toEqual([
      'clusters.0.sentinelPasswordEnv: give sentinelPassword or sentinelPasswordEnv, not both',
    ]);
    expect(problems({ clusters: [{ ...sentinel, seeds: ['10.0.0.1:6379'] }] })).toEqual([
      'clusters.0: Unrecognized key: "seeds"',
    ]);
    expect(problems({ clusters: [{ ...sentinel, kind: 'proxy' }] })[0]).toMatch(/^clusters\.0\.kind: /);
    expect(problems({ clusters: [ok.clusters[0], { ...sentinel, id: 'prod-1' }] })).toEqual([
      'clusters.1.id: duplicate cluster id "prod-1"',
    ]);
  });

  it("takes commandRenames as the nodes' rename-command lines, with {port} the only placeholder", () => {
    const renames = { CONFIG: 'CONFIG_{port}', FLUSHALL: '' };
    expect(
      DashboardConfig.parse({ clusters: [{ ...ok.clusters[0], commandRenames: renames }] }).clusters[0],
    ).toMatchObject({
      commandRenames: renames,
    });
    expect(DashboardConfig.parse(ok).clusters[0]?.commandRenames).toEqual({});
    expect(problems({ clusters: [{ ...ok.clusters[0], commandRenames: { CONFIG: 'CONFIG_{host}' } }] })).toEqual([
      'clusters.0.commandRenames.CONFIG: unknown placeholder {host}; only {port} is expanded',
    ]);
  });

  it('refuses unknown fields, so a typo is not silently ignored', () => {
    expect(problems({ clusters: [{ ...ok.clusters[0], seed: ['a:1'] }] })[0]).toMatch(/^clusters\.0: .*seed/);
  });

  it('refuses password together with passwordEnv, and duplicate ids', () => {
    expect(problems({ clusters: [{ ...ok.clusters[0], password: 'x', passwordEnv: 'X' }] })).toEqual([
      'clusters.0.passwordEnv: give password or passwordEnv, not both',
    ]);
    expect(problems({ clusters: [ok.clusters[0], ok.clusters[0]] })).toEqual([
      'clusters.1.id: duplicate cluster id "prod-1"',
    ]);
  });

  it('checks NAT map keys and values', () => {
    expect(problems({ clusters: [{ ...ok.clusters[0], natMap: { '10.0.0.1:6379': 'nope' } }] })[0]).toMatch(
      /^clusters\.0\.natMap\.10\.0\.0\.1:6379: /,
    );
  });

  it('checks users, the kiosk token and target rules', () => {
    const user = {
      name: 'ann',
      role: 'admin',
      passwordHash: '$2b$12$AGsRv9j8EH969BiwKYeExOw7issjybzQU/NnwV8W8nM6BsZd4vqve',
    };
    expect(problems({ ...ok, users: [user] })).toEqual([]);
    expect(problems({ ...ok, users: [{ ...user, role: 'root' }] })[0]).toMatch(/^users\.0\.role: /);
    expect(problems({ ...ok, users: [{ ...user, passwordHash: 'plaintext' }] })[0]).toMatch(
      /^users\.0\.passwordHash: a bcrypt hash/,
    );
    expect(problems({ ...ok, users: [user, user] })).toEqual(['users.1.name: duplicate user "ann"']);
    expect(problems({ ...ok, kioskToken: 'short' })).toEqual(['kioskToken: at least 24 characters']);
    expect(problems({ clusters: [{ ...ok.clusters[0], allowedTargets: ['10.0.0.0/8:6379', 'nope!'] }] })[0]).toMatch(
      /^clusters\.0\.allowedTargets\.1: /,
    );
  });

  it('refuses the cluster id "create" (the create page and routes), and bad createTargets entries', () => {
    expect(problems({ clusters: [{ ...ok.clusters[0], id: 'create' }] })[0]).toMatch(/^clusters\.0\.id: reserved/);
    expect(DashboardConfig.parse(ok).createTargets).toEqual([]);
    expect(problems({ ...ok, createTargets: ['10.0.0.0/24', 'nope!'] })[0]).toMatch(/^createTargets\.1: /);
  });
});
