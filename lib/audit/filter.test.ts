import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../api/types';
import { auditFilterOf, filterAudit } from './filter';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  at: '2026-12-05T12:00:00.000Z',
  user: 'ann',
  role: 'admin',
  action: 'failover.start',
  result: 'ok',
  status: 200,
  durationMs: 3,
  ...over,
});

describe('audit filter', () => {
  const entries = [
    entry({}),
    entry({ user: 'anonymous', role: 'none', action: 'auth.login', result: 'refused', status: 401, ip: '10.0.0.9' }),
    entry({ user: 'bob', role: 'viewer', action: 'reshard.start', result: 'refused', status: 403, cluster: 'prod' }),
  ];

  it('narrows to one result and to text in user, role, action, cluster or address', () => {
    expect(filterAudit(entries, { result: 'refused' }).map((e) => e.user)).toEqual(['anonymous', 'bob']);
    expect(filterAudit(entries, { text: 'PROD' }).map((e) => e.user)).toEqual(['bob']);
    expect(filterAudit(entries, { text: '10.0.0' }).map((e) => e.user)).toEqual(['anonymous']);
    expect(filterAudit(entries, { result: 'ok', text: 'viewer' })).toEqual([]);
    expect(filterAudit(entries, {})).toHaveLength(3);
  });

  it('reads the query string and ignores what it does not know', () => {
    expect(auditFilterOf({ result: 'refused', q: ' bob ' })).toEqual({ result: 'refused', text: 'bob' });
    expect(auditFilterOf({ result: 'nope', q: '' })).toEqual({});
    expect(auditFilterOf({ result: ['failed', 'ok'] })).toEqual({ result: 'failed' });
  });
});
