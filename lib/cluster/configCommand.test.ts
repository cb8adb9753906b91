import { describe, expect, it } from 'vitest';
import { DISABLED_REASON, OPTIONAL_COMMANDS, refusalReason } from '../redis/refusal';
import { configUnavailable } from './configCommand';

const refused = (reason: string) => ({
  refused: [{ command: OPTIONAL_COMMANDS.config.acl, feature: OPTIONAL_COMMANDS.config.feature, reason }],
});

describe('configUnavailable', () => {
  it('names CONFIG disabled by commandRenames, or unknown to the node; an ACL refusal is not this', () => {
    expect(configUnavailable(refused(DISABLED_REASON))).toBe('disabled');
    expect(configUnavailable(refused(refusalReason("ERR unknown command 'CONFIG'")))).toBe('unknown');
    expect(configUnavailable(refused(refusalReason('NOPERM no permissions')))).toBeUndefined();
    expect(configUnavailable({})).toBeUndefined();
  });
});
