'use client';
import { useParams } from 'next/navigation';
import { NodeDetailView } from '@/components/node/NodeDetailView';

/**
 * Shown at once while the server renders the node page (on a dashboard polling 1,000 nodes that takes a second or
 * two): the node as the cluster page's snapshot already has it, its reads through the API (which checks the session).
 * Actions appear with the page itself, after the server has checked the role.
 */
export default function NodeLoading() {
  const params = useParams<{ id: string; nodeId: string }>();
  return <NodeDetailView clusterId={params.id} nodeId={params.nodeId} />;
}
