import type { ClusterNodeLine } from '../redis/clusterNodes';
import { formatRanges } from '../redis/slots';

/** FNV-1a, 32 bits, as 8 hex digits: short and stable, for comparing views, not for security. */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Who owns which slots in one node's CLUSTER NODES reply: every line with slots as "id:ranges", sorted. Two nodes with
 * different signatures disagree about the configuration (the comparison redis-cli --cluster check makes).
 */
export function viewSignature(view: readonly ClusterNodeLine[]): string {
  const owners = view.filter((line) => line.slots.length > 0).map((line) => `${line.id}:${formatRanges(line.slots)}`);
  return fnv1a(owners.sort().join('|'));
}

const signatures = new WeakMap<readonly ClusterNodeLine[], string>();

/** viewSignature, kept per view array: a view the collector reuses (unchanged since the last poll) is not read again. */
export function viewSignatureOf(view: readonly ClusterNodeLine[]): string {
  let signature = signatures.get(view);
  if (signature === undefined) {
    signature = viewSignature(view);
    signatures.set(view, signature);
  }
  return signature;
}
