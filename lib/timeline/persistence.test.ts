import { describe, expect, it } from 'vitest';
import { healthy, infoWith, withNode } from '../findings/snapshotFixture';
import type { NodePersistence } from '../redis/persistence';
import { diffSnapshots } from './diff';

const saving = (status: string): NodePersistence => ({
  lastBgsaveStatus: status,
  bgsaveInProgress: false,
  aofEnabled: false,
  aofRewriteInProgress: false,
});
const withStatus = (status: string | undefined) =>
  withNode(healthy(), 2, { info: infoWith(status ? { persistence: saving(status) } : {}) });

describe('save events on the timeline', () => {
  it('a save that fails, then works again', () => {
    const failed = diffSnapshots(withStatus('ok'), withStatus('err'));
    expect(failed.map((e) => [e.kind, e.severity])).toEqual([['save_failed', 'critical']]);
    expect(failed[0]?.message).toContain('10.0.0.2:7002');
    expect(diffSnapshots(withStatus('err'), withStatus('ok')).map((e) => e.kind)).toEqual(['save_recovered']);
  });

  it('nothing while the status stays, or when a poll did not read it', () => {
    expect(diffSnapshots(withStatus('err'), withStatus('err'))).toEqual([]);
    expect(diffSnapshots(withStatus(undefined), withStatus('err'))).toEqual([]);
  });
});
