import { describe, expect, it } from 'vitest';
import { type HostRule, hostAllowed, parseHostRule } from './allowedHost';

const rules = ['localhost', '127.0.0.1', '[::1]', 'Dash.Example.com', 'other.example:8443'].map(
  (entry) => parseHostRule(entry) as HostRule,
);

describe('allowedHosts', () => {
  it('parses names, IP literals and ports; bare IPv6 in the config', () => {
    expect(parseHostRule('Dash.Example.com.')).toEqual({ host: 'dash.example.com' });
    expect(parseHostRule('dash.example.com:8443')).toEqual({ host: 'dash.example.com', port: 8443 });
    expect(parseHostRule('[::1]:3000')).toEqual({ host: '::1', port: 3000 });
    expect(parseHostRule('::1')).toEqual({ host: '::1' });
    expect(parseHostRule('[::ffff:127.0.0.1]')).toEqual({ host: '127.0.0.1' });
    for (const bad of [
      '',
      'http://dash',
      'dash:0',
      'dash:70000',
      'a b',
      'user@dash',
      'dash/x',
      '[nope]',
      '*.example.com',
    ]) {
      expect(parseHostRule(bad), bad).toBeUndefined();
    }
  });

  it('allows a listed host on any port unless the entry names one', () => {
    expect(hostAllowed('127.0.0.1:3000', rules)).toBe(true);
    expect(hostAllowed('localhost', rules)).toBe(true);
    expect(hostAllowed('[::1]:3000', rules)).toBe(true);
    expect(hostAllowed('DASH.example.com', rules)).toBe(true);
    expect(hostAllowed('other.example:8443', rules)).toBe(true);
    expect(hostAllowed('other.example:443', rules)).toBe(false);
    expect(hostAllowed('other.example', rules)).toBe(false);
  });

  it('refuses other names (DNS rebinding), malformed and missing hosts', () => {
    for (const host of ['evil.example', 'evil.example:3000', '127.0.0.2', '::1', 'localhost, evil.example', '', null]) {
      expect(hostAllowed(host, rules), String(host)).toBe(false);
    }
  });
});
