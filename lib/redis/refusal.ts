/** A command the node refused to the configured user: shown where its data would be, never as "node down". */
export interface NotPermitted {
  /** The ACL user the dashboard connects as ("default" when none is configured). */
  user: string;
  /** The command as ACL rules spell it: "slowlog|get", "cluster|links". */
  command: string;
}

// Container commands: ACL rules (and NOPERM replies) name them with their subcommand.
const CONTAINERS = new Set([
  'acl',
  'client',
  'cluster',
  'command',
  'config',
  'function',
  'latency',
  'memory',
  'module',
  'object',
  'pubsub',
  'script',
  'slowlog',
  'xinfo',
]);

export function aclCommandName(args: readonly string[]): string {
  const [command = '', sub] = args.map((a) => a.toLowerCase());
  return CONTAINERS.has(command) && sub ? `${command}|${sub}` : command;
}

/**
 * NOPERM (the ACL forbids it), or "unknown command/subcommand" (renamed with rename-command, disabled, or too old a
 * server): the node is fine, this one feature is not available to the dashboard.
 */
export function isRefusal(message: string): boolean {
  return /^NOPERM\b|^ERR unknown (?:sub)?command\b/i.test(message.replace(/^ReplyError:\s*/, ''));
}

export function notPermittedText(refusal: NotPermitted): string {
  return `not permitted for user ${refusal.user}: ${refusal.command}`;
}

/**
 * Optional commands the poll sends, each with its ACL name and the feature lost without it. Only CLUSTER NODES and
 * INFO are required: without them a node cannot be placed or described.
 */
export const OPTIONAL_COMMANDS = {
  clusterInfo: { acl: 'cluster|info', feature: "this node's own cluster_state" },
  config: {
    acl: 'config|get',
    feature: 'cluster settings (cluster-node-timeout for failover pre-checks) and the latency monitor threshold',
  },
  latency: { acl: 'latency', feature: 'the latency monitor (LATENCY LATEST)' },
  countKeys: { acl: 'cluster|countkeysinslot', feature: 'keys in slots a node does not own (multiple owners by keys)' },
} as const;
export type OptionalCommand = keyof typeof OPTIONAL_COMMANDS;

/** The reason of a command not sent at all: commandRenames maps it to "" (disabled on the node). */
export const DISABLED_REASON = 'disabled (commandRenames: "")';

/** "not permitted" for an ACL refusal, "unknown command" for a renamed or disabled one. */
export function refusalReason(message: string): string {
  return /NOPERM\b/.test(message)
    ? 'not permitted'
    : 'unknown command (renamed or disabled on this node; name it in commandRenames)';
}
