import { describe, expect, it } from 'vitest';
import { commandName, invalidRename, isUnknownCommand, ownPort } from './commandRenames';

describe('commandName', () => {
  it('expands {port} per node, matching the logical command in any case', () => {
    const renames = { CONFIG: 'CONFIG_{port}' };
    expect(commandName(renames, 'CONFIG', 7001)).toBe('CONFIG_7001');
    expect(commandName(renames, 'config', 7002)).toBe('CONFIG_7002');
  });

  it('leaves other commands as they are, and reads "" as disabled', () => {
    const renames = { flushall: '', CONFIG: 'cfg' };
    expect(commandName(renames, 'FLUSHALL', 7001)).toBeNull();
    expect(commandName(renames, 'CLUSTER', 7001)).toBe('CLUSTER');
    expect(commandName(undefined, 'CONFIG', 7001)).toBe('CONFIG');
    expect(commandName(renames, 'CONFIG', 7001)).toBe('cfg');
  });
});

describe('invalidRename', () => {
  it('accepts {port} only', () => {
    expect(invalidRename('CONFIG_{port}')).toBeUndefined();
    expect(invalidRename('')).toBeUndefined();
    expect(invalidRename('CONFIG_{host}')).toMatch(/unknown placeholder \{host\}/);
    expect(invalidRename('CON FIG')).toMatch(/whitespace/);
  });
});

describe('isUnknownCommand', () => {
  it("tells a renamed command's reply from an ACL refusal", () => {
    expect(isUnknownCommand("ERR unknown command 'CONFIG', with args beginning with: 'GET' 'x'")).toBe(true);
    expect(isUnknownCommand("NOPERM User u has no permissions to run the 'config|get' command")).toBe(false);
  });
});

describe('ownPort', () => {
  it("is the node's announced port where the natMap translates the address, else the dialled one", () => {
    const natMap = { '10.0.0.5:7001': '127.0.0.1:17001' };
    expect(ownPort(natMap, '127.0.0.1:17001')).toBe(7001);
    expect(ownPort(natMap, '[::1]:7002')).toBe(7002);
  });
});
