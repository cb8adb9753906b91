import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { resolveConfig } from '../config/load';
import { assertCreateAllowed, credentialsCluster } from './createTargets';

const env = { DASHBOARD_SESSION_SECRET: 's'.repeat(32) };
const config = (createTargets: string[]) =>
  resolveConfig(
    {
      clusters: [{ id: 'prod', name: 'Prod', seeds: ['10.0.0.1:7000'], username: 'ops', password: 'prod-pw' }],
      createTargets,
    },
    '/etc/dash/config.json',
    env,
  );
const polled = () => [{ addr: '10.0.0.2:7000' }, { addr: '10.0.0.3:7000', connectAddr: '192.168.1.3:7000' }];

function refusal(addrs: string[], targets: string[]): ApiError {
  try {
    assertCreateAllowed(addrs, config(targets), polled);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('allowed');
}

describe('assertCreateAllowed', () => {
  it('is disabled while createTargets is empty, naming the field', () => {
    const err = refusal(['10.0.1.1:7000'], []);
    expect(err.code).toBe('target_not_allowed');
    expect(err.message).toMatch(/creating a cluster is disabled: list the addresses .* "createTargets"/);
  });

  it('allows addresses inside createTargets that no configured cluster has', () => {
    expect(() =>
      assertCreateAllowed(['10.0.1.1:7000', '10.0.1.2:7001'], config(['10.0.1.0/24']), polled),
    ).not.toThrow();
  });

  it('names every address outside createTargets or belonging to a configured cluster', () => {
    const err = refusal(
      ['10.0.1.1:7000', '10.9.0.1:7000', '10.0.0.1:7000', '10.0.0.2:7000', '192.168.1.3:7000'],
      ['10.0.0.0/16', '192.168.0.0/16'],
    );
    expect(err.message).toBe(
      '10.9.0.1:7000 is not inside createTargets; 10.0.0.1:7000 is a node of configured cluster "prod"; ' +
        '10.0.0.2:7000 is a node of configured cluster "prod"; 192.168.1.3:7000 is a node of configured cluster "prod"; ' +
        'nothing was sent to any node',
    );
  });
});

describe('credentialsCluster', () => {
  it("takes a configured cluster's login, or the typed one, never both", () => {
    const from = credentialsCluster(['10.0.1.1:7000'], { loginFrom: 'prod' }, config(['10.0.1.0/24']));
    expect(from).toMatchObject({ username: 'ops', password: 'prod-pw', seeds: ['10.0.1.1:7000'], nodeNetworks: [] });
    const typed = credentialsCluster(['10.0.1.1:7000'], { password: 'typed' }, config(['10.0.1.0/24']));
    expect(typed.password).toBe('typed');
    expect(typed.username).toBeUndefined();
    expect(() => credentialsCluster(['10.0.1.1:7000'], { loginFrom: 'nope' }, config([]))).toThrow(
      /no configured cluster "nope"/,
    );
  });
});
