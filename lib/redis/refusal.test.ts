import { describe, expect, it } from 'vitest';
import { aclCommandName, isRefusal, notPermittedText } from './refusal';

describe('refused commands', () => {
  it('names container commands with their subcommand, as ACL rules do', () => {
    expect(aclCommandName(['CLUSTER', 'LINKS'])).toBe('cluster|links');
    expect(aclCommandName(['SLOWLOG', 'GET', '128'])).toBe('slowlog|get');
    expect(aclCommandName(['cluster', 'COUNTKEYSINSLOT', '12'])).toBe('cluster|countkeysinslot');
    expect(aclCommandName(['INFO', 'commandstats'])).toBe('info');
    expect(aclCommandName(['PING'])).toBe('ping');
  });

  it('recognises NOPERM and renamed or disabled commands, and nothing else', () => {
    // Redis 7.0 and 7.2+ wordings.
    expect(isRefusal("NOPERM this user has no permissions to run the 'slowlog|get' command")).toBe(true);
    expect(isRefusal("NOPERM User monitor has no permissions to run the 'cluster|links' command")).toBe(true);
    expect(isRefusal("ERR unknown command 'SLOWLOG', with args beginning with: 'GET' '128' ")).toBe(true);
    expect(isRefusal("ERR unknown subcommand 'LINKS'. Try CLUSTER HELP.")).toBe(true);
    expect(isRefusal('ReplyError: NOPERM this user has no permissions')).toBe(true);
    expect(isRefusal('Command timed out')).toBe(false);
    expect(isRefusal('connect ECONNREFUSED 127.0.0.1:7000')).toBe(false);
    expect(isRefusal('WRONGPASS invalid username-password pair or user is disabled.')).toBe(false);
    expect(isRefusal('LOADING Redis is loading the dataset in memory')).toBe(false);
  });

  it('says who lacks what', () => {
    expect(notPermittedText({ user: 'monitor', command: 'cluster|links' })).toBe(
      'not permitted for user monitor: cluster|links',
    );
  });
});
