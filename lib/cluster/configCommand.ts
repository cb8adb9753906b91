import type { CommandUnavailable } from '../redis/commandRenames';
import { DISABLED_REASON, OPTIONAL_COMMANDS } from '../redis/refusal';
import type { SnapshotNode } from './types';

/**
 * CONFIG cannot be used on this node: disabled by commandRenames (""), or the node answered "unknown command" (renamed
 * or disabled there and not named in commandRenames). An ACL refusal (NOPERM) is not this: the node is shown as
 * "not permitted" instead. Undefined when CONFIG works, or was not asked.
 */
export function configUnavailable(node: Pick<SnapshotNode, 'refused'>): CommandUnavailable | undefined {
  const refused = node.refused?.find((r) => r.command === OPTIONAL_COMMANDS.config.acl);
  if (!refused || refused.reason === 'not permitted') return undefined;
  return refused.reason === DISABLED_REASON ? 'disabled' : 'unknown';
}
