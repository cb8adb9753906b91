import 'server-only';
import net from 'node:net';
import { splitHostPort } from '@/lib/config/schema';
import { parseTargetRule, type TargetRule } from '@/lib/security/targetRule';

function portAllowed(rule: TargetRule, port: number): boolean {
  return !rule.ports || (port >= rule.ports[0] && port <= rule.ports[1]);
}

function ruleMatches(rule: TargetRule, host: string, port: number): boolean {
  if (!portAllowed(rule, port)) return false;
  if (rule.kind === 'host') return rule.address === host.toLowerCase();
  const family = net.isIP(host);
  if (family !== rule.family || rule.prefix === undefined) return false;
  const list = new net.BlockList();
  list.addSubnet(rule.address, rule.prefix, family === 4 ? 'ipv4' : 'ipv6');
  return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** True when `addr` ("host:port") is inside one of the allow-list entries. Host names only match host entries. */
export function inAllowList(addr: string, entries: readonly string[]): boolean {
  const { host, port } = splitHostPort(addr);
  return entries.some((entry) => {
    const rule = parseTargetRule(entry);
    return typeof rule !== 'string' && ruleMatches(rule, host, port);
  });
}
