import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allInterfacesWarning, ConfigError, loadConfig, resolveConfig } from './load';

const cluster = { id: 'a', name: 'A', seeds: ['127.0.0.1:7000'] };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('resolves passwordEnv from the environment', () => {
    const config = resolveConfig({ clusters: [{ ...cluster, passwordEnv: 'REDIS_PW' }] }, 'x.json', {
      REDIS_PW: 's3cret',
    });
    expect(config.clusters[0]?.password).toBe('s3cret');
  });

  it('resolves nodeNetworks: as configured, else the /24 of the seeds and natMap targets', () => {
    const natMap = { '10.0.0.5:7000': '192.168.1.5:17000' };
    expect(resolveConfig({ clusters: [{ ...cluster, natMap }] }, 'x.json', {}).clusters[0]?.nodeNetworks).toEqual([
      '127.0.0.0/24',
      '192.168.1.0/24',
    ]);
    const given = resolveConfig({ clusters: [{ ...cluster, nodeNetworks: ['127.0.0.1/32'] }] }, 'x.json', {});
    expect(given.clusters[0]?.nodeNetworks).toEqual(['127.0.0.1/32']);
  });

  it("resolves a Sentinel entry's nodeNetworks: as configured, else the /24 of the sentinels and natMap targets", () => {
    const sentinel = {
      kind: 'sentinel',
      id: 's',
      name: 'S',
      sentinels: ['10.0.1.5:26379', 'sentinel-3.internal:26379'],
      masterName: 'm',
    };
    const natMap = { '10.0.9.5:6379': '192.168.1.5:16379' };
    const byDefault = resolveConfig({ clusters: [{ ...sentinel, natMap }] }, 'x.json', {}).sentinels[0];
    expect(byDefault?.nodeNetworks).toEqual(['10.0.1.0/24', 'sentinel-3.internal', '192.168.1.0/24']);
    expect(byDefault?.nodeNetworksByDefault).toBe(true);
    const given = resolveConfig({ clusters: [{ ...sentinel, nodeNetworks: ['10.0.2.0/24'] }] }, 'x.json', {});
    expect(given.sentinels[0]?.nodeNetworks).toEqual(['10.0.2.0/24']);
    expect(given.sentinels[0]?.nodeNetworksByDefault).toBeUndefined();
    expect(
      problemsOf(() => resolveConfig({ clusters: [{ ...sentinel, nodeNetworks: ['10.0.0.0/33'] }] }, 'x.json', {})),
    ).toHaveLength(1);
  });

  it('names the field when passwordEnv is unset or a TLS file is missing', () => {
    expect(problemsOf(() => resolveConfig({ clusters: [{ ...cluster, passwordEnv: 'NOPE' }] }, 'x.json', {}))).toEqual([
      'clusters.0.passwordEnv: environment variable NOPE is not set or empty',
    ]);
    expect(
      problemsOf(() =>
        resolveConfig({ clusters: [{ ...cluster, tls: { caFile: '/nonexistent/ca.pem' } }] }, 'x.json', {}),
      ),
    ).toEqual(['clusters.0.tls.caFile: cannot read /nonexistent/ca.pem: ENOENT']);
  });

  it('explains a missing file and bad JSON', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    expect(problemsOf(() => loadConfig({ DASHBOARD_CONFIG: path.join(dir, 'none.json') }))[0]).toMatch(/not found/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ "clusters": [ }');
    expect(problemsOf(() => loadConfig({ DASHBOARD_CONFIG: bad }))).toEqual([
      '(file): not valid JSON at line 1, column 17: expected a value (an object, array, string, number, true, false or null)',
    ]);
  });

  it('names only the position of a JSON syntax error, never the text around it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'bad.json');
    const token = 'kiosk-Zq9xW2vLr8Tn4Yp6Bd3Hs';
    // Node's JSON.parse message quotes about ten characters each side of this error: the token.
    writeFileSync(file, `{\n  "clusters": [],\n  "kioskToken": ${token}\n}`);
    const err = (() => {
      try {
        loadConfig({ DASHBOARD_CONFIG: file });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toContain('not valid JSON at line 3, column 17');
    for (const piece of [token, token.slice(0, 6), token.slice(-6)]) expect(err?.message).not.toContain(piece);
  });

  it('keeps a given session secret instead of reading the environment', () => {
    const config = resolveConfig(
      { clusters: [cluster] },
      'x.json',
      { NODE_ENV: 'production' },
      { sessionSecret: 'k'.repeat(32) },
    );
    expect(config.sessionSecret).toBe('k'.repeat(32));
  });

  it('never puts the password in the error message', () => {
    const err = (() => {
      try {
        resolveConfig({ clusters: [{ ...cluster, password: 'hunter2-secret', seeds: ['bad'] }] }, 'x.json', {});
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(/clusters\.0\.seeds\.0/);
    expect(err?.message).not.toContain('hunter2-secret');
  });

  it('refuses to run in production without a long enough session secret', () => {
    const raw = { clusters: [cluster] };
    expect(problemsOf(() => resolveConfig(raw, 'x.json', { NODE_ENV: 'production' }))).toEqual([
      '(env) DASHBOARD_SESSION_SECRET: required in production (at least 32 random characters)',
    ]);
    expect(problemsOf(() => resolveConfig(raw, 'x.json', { DASHBOARD_SESSION_SECRET: 'short' }))).toEqual([
      '(env) DASHBOARD_SESSION_SECRET: at least 32 characters',
    ]);
    const config = resolveConfig(raw, '/etc/dash/x.json', {
      NODE_ENV: 'production',
      DASHBOARD_SESSION_SECRET: 'y'.repeat(32),
      DASHBOARD_READ_ONLY: '1',
    });
    expect(config).toMatchObject({
      sessionSecret: 'y'.repeat(32),
      readOnly: true,
      auditLogPath: '/etc/dash/audit.log.jsonl',
    });
  });
});

describe('trustedProxies and allowedHosts', () => {
  const secret = { DASHBOARD_SESSION_SECRET: 'y'.repeat(32) };

  it('names the field of a bad entry', () => {
    const raw = {
      clusters: [cluster],
      trustedProxies: ['10.0.0.0/8', 'proxy.internal', '10.0.0.0/40'],
      allowedHosts: ['dash.example.com', 'http://dash.example.com'],
    };
    expect(problemsOf(() => resolveConfig(raw, 'x.json', secret))).toEqual([
      'trustedProxies.1: expected an IP address or a CIDR ("10.0.0.0/8", "fd00::/8")',
      'trustedProxies.2: prefix length must be 0-32',
      'allowedHosts.1: expected a host name or IP address, optionally ":port"',
    ]);
    expect(problemsOf(() => resolveConfig({ clusters: [cluster], allowedHosts: [] }, 'x.json', secret))).toEqual([
      'allowedHosts: at least one host; leave the field out for the default',
    ]);
  });

  it('trusts no proxy and answers to the listen address, loopback and the allowedOrigins hosts by default', () => {
    const config = resolveConfig({ clusters: [cluster], allowedOrigins: ['https://dash.example.com:8443'] }, 'x.json', {
      ...secret,
      HOSTNAME: 'dash-1.internal',
    });
    expect(config.trustedProxies).toEqual([]);
    expect(config.allowedHosts.map((rule) => rule.host)).toEqual([
      'dash-1.internal',
      'localhost',
      '127.0.0.1',
      '::1',
      'dash.example.com',
    ]);
    expect(config.allowedHosts.every((rule) => rule.port === undefined)).toBe(true);
    const anywhere = resolveConfig({ clusters: [cluster] }, 'x.json', { ...secret, HOSTNAME: '0.0.0.0' });
    expect(anywhere.allowedHosts.map((rule) => rule.host)).toEqual(['localhost', '127.0.0.1', '::1']);
  });

  it('warns when listening on all interfaces with the default allowedHosts, saying how to add names', () => {
    for (const HOSTNAME of ['0.0.0.0', '::']) {
      const warning = allInterfacesWarning({ HOSTNAME }, false);
      expect(warning).toContain(`listening on all interfaces (HOSTNAME=${HOSTNAME}) without "allowedHosts"`);
      expect(warning).toContain('only localhost, 127.0.0.1, [::1] and the hosts of allowedOrigins are served');
      expect(warning).toContain('Add the names users type to "allowedHosts"');
      expect(allInterfacesWarning({ HOSTNAME }, true)).toBeUndefined();
    }
    expect(allInterfacesWarning({ HOSTNAME: '127.0.0.1' }, false)).toBeUndefined();
    expect(allInterfacesWarning({}, false)).toBeUndefined();
  });

  it('uses the configured lists as given', () => {
    const config = resolveConfig(
      { clusters: [cluster], trustedProxies: ['10.0.0.5', 'fd00::/8'], allowedHosts: ['Dash.Example.com:443'] },
      'x.json',
      { ...secret, HOSTNAME: '127.0.0.1' },
    );
    expect(config.trustedProxies).toEqual([
      { family: 4, bytes: [10, 0, 0, 5], prefix: 32 },
      { family: 6, bytes: [0xfd, ...new Array(15).fill(0)], prefix: 8 },
    ]);
    expect(config.allowedHosts).toEqual([{ host: 'dash.example.com', port: 443 }]);
  });
});

describe('the bench poll interval (DASHBOARD_BENCH_POLL_INTERVAL_MS)', () => {
  it('sets every cluster’s poll interval below the file’s floor, which the file itself may not', () => {
    const env = { DASHBOARD_SESSION_SECRET: 'x'.repeat(32), DASHBOARD_BENCH_POLL_INTERVAL_MS: '100' };
    expect(resolveConfig({ clusters: [cluster] }, 'x.json', env).clusters[0]?.pollIntervalMs).toBe(100);
    expect(
      problemsOf(() => resolveConfig({ clusters: [{ ...cluster, pollIntervalMs: 100 }] }, 'x.json', {})).join(),
    ).toMatch(/pollIntervalMs/);
    expect(
      problemsOf(() =>
        resolveConfig({ clusters: [cluster] }, 'x.json', { ...env, DASHBOARD_BENCH_POLL_INTERVAL_MS: '10' }),
      ),
    ).toEqual([expect.stringContaining('DASHBOARD_BENCH_POLL_INTERVAL_MS: a whole number of ms from 50 to 60000')]);
  });
});
