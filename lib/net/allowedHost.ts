import { formatIp, parseIp } from './ip';

/**
 * One allowedHosts entry: a host name or IP literal, optionally with a port ("dash.example.com",
 * "dash.example.com:8443", "10.0.0.5", "[::1]"). Without a port it matches every port.
 */
export interface HostRule {
  /** Lower case, no trailing dot; IP literals in canonical form, IPv6 without brackets. */
  host: string;
  port?: number;
}

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

function normaliseHost(text: string): string | undefined {
  const ip = parseIp(text);
  if (ip && (ip.family === 4 || text.startsWith('['))) return formatIp(ip);
  const name = text.toLowerCase().replace(/\.$/, '');
  return NAME.test(name) ? name : undefined;
}

function parseHostPort(text: string, bareIpv6: boolean): HostRule | undefined {
  const trimmed = text.trim();
  const bare = bareIpv6 && !trimmed.startsWith('[') && trimmed.split(':').length > 2;
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(bare ? `[${trimmed}]` : trimmed);
  const host = match?.[1] === undefined ? undefined : normaliseHost(match[1]);
  if (!match || !host) return undefined;
  if (match[2] === undefined) return { host };
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { host, port } : undefined;
}

/** A config entry: "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal; undefined when malformed. */
export function parseHostRule(text: string): HostRule | undefined {
  return parseHostPort(text, true);
}

/** The Host (or trusted X-Forwarded-Host) value of a request, "host[:port]"; false when absent or malformed. */
export function hostAllowed(hostHeader: string | null | undefined, rules: readonly HostRule[]): boolean {
  const requested = hostHeader ? parseHostPort(hostHeader, false) : undefined;
  if (!requested) return false;
  return rules.some(
    (rule) => rule.host === requested.host && (rule.port === undefined || rule.port === requested.port),
  );
}
