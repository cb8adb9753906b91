import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MONITOR_RULES, OPERATOR_RULES } from './aclProfiles';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the ACL users the README documents', () => {
  it('are exactly the rule lists the integration test runs the dashboard as', () => {
    expect(readme).toContain(`ACL SETUSER dashboard-monitor on >CHANGE-ME ${MONITOR_RULES.join(' ')}\n`);
    expect(readme).toContain(`ACL SETUSER dashboard-operator on >CHANGE-ME ${OPERATOR_RULES.join(' ')}\n`);
  });
});
