/**
 * Per-cluster rename-command map, as the nodes' redis.conf has it: logical command (any case) -> the name the node
 * knows it by. "{port}" in a name is the node's own port (a hardening template renames CONFIG to "CONFIG_7001" on the
 * node listening on 7001); "" means disabled (rename-command CONFIG ""): nothing is sent, the feature is skipped.
 */
export type CommandRenames = Readonly<Record<string, string>>;

/** A name with a placeholder other than {port}, or whitespace: the reason, else undefined. */
export function invalidRename(name: string): string | undefined {
  if (/\s/.test(name)) return 'a command name has no whitespace';
  const unknown = [...name.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).find((p) => p !== 'port');
  if (unknown !== undefined) return `unknown placeholder {${unknown}}; only {port} is expanded`;
  return undefined;
}

/** The name the node on `port` knows `command` by; null when the command is disabled there. */
export function commandName(renames: CommandRenames | undefined, command: string, port: number): string | null {
  const key = command.toUpperCase();
  const entry = renames ? Object.entries(renames).find(([logical]) => logical.toUpperCase() === key) : undefined;
  if (!entry) return command;
  if (entry[1] === '') return null;
  return entry[1].replaceAll('{port}', String(port));
}

/**
 * The port "{port}" stands for on the node dialled at `addr`: the node's own (announced) port, which the natMap may
 * translate to another one the dashboard dials. Hardening templates name the command after the port in redis.conf.
 */
export function ownPort(natMap: Readonly<Record<string, string>>, addr: string): number {
  const announced = Object.entries(natMap).find(([, to]) => to === addr)?.[0] ?? addr;
  return Number(announced.slice(announced.lastIndexOf(':') + 1));
}

/** Thrown before anything is sent when a command is disabled on the node by commandRenames. */
export class CommandDisabled extends Error {
  override name = 'CommandDisabled';
  constructor(
    readonly command: string,
    readonly addr: string,
  ) {
    super(`${command.toUpperCase()} is disabled on ${addr} (commandRenames: "")`);
  }
}

/** How a command is unavailable on a node: disabled by commandRenames, or the node answered "unknown command". */
export type CommandUnavailable = 'disabled' | 'unknown';

/** "ERR unknown command" (renamed or disabled on the node, not as commandRenames says). */
export function isUnknownCommand(message: string): boolean {
  return /^(?:ReplyError:\s*)?ERR unknown command\b/i.test(message);
}
