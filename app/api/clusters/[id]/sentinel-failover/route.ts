import { SentinelFailoverRequest } from '@/lib/sentinel/failoverJob';
import { route } from '@/server/api/handler';
import { deploymentName, startSentinelFailover } from '@/server/sentinel/startSentinelFailover';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route<{ id: string }, SentinelFailoverRequest>(
  {
    access: 'operator',
    action: 'sentinel.failover',
    body: SentinelFailoverRequest,
    confirmation: (params) => {
      const name = deploymentName(params.id);
      return { expected: name, what: `the deployment's name "${name}"` };
    },
  },
  async ({ params, principal }) => startSentinelFailover(params.id, principal),
);
