import { z } from 'zod';
import { ClusterConfig, HostPort } from '../config/schema';
import type { CreateLayoutPlan } from '../plan/createLayout';

const NodeId = z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character node id');

/**
 * POST /api/clusters/create/plan. Credentials for the new nodes: `loginFrom` (a configured cluster's username,
 * password and TLS), or `username`/`password` typed here; neither = no AUTH.
 */
export const CreateClusterPlanRequest = z
  .strictObject({
    nodes: z.array(HostPort).min(1).max(200),
    replicas: z.number().int().min(0).max(10),
    loginFrom: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
  })
  .refine((r) => !(r.loginFrom && (r.username || r.password)), {
    message: 'give loginFrom or username/password, not both',
    path: ['loginFrom'],
  });
export type CreateClusterPlanRequest = z.infer<typeof CreateClusterPlanRequest>;

/**
 * POST /api/clusters/create (kind create-cluster): the preview's inputs, the node ids the preview read (a node that
 * changed since is refused), and `confirm`: the first node's address typed again (the node every other one MEETs).
 */
export const CreateClusterRequest = z
  .strictObject({
    nodes: z.array(HostPort).min(1).max(200),
    replicas: z.number().int().min(0).max(10),
    loginFrom: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    nodeIds: z.record(HostPort, NodeId),
    confirm: z.string(),
  })
  .refine((r) => !(r.loginFrom && (r.username || r.password)), {
    message: 'give loginFrom or username/password, not both',
    path: ['loginFrom'],
  });
export type CreateClusterRequest = z.infer<typeof CreateClusterRequest>;

/** POST /api/clusters/create/add-to-config: the new cluster's entry, from a succeeded create-cluster job. */
export const AddCreatedClusterRequest = z.strictObject({
  jobId: z.string().regex(/^[0-9a-f]{16}$/, 'a job id'),
  id: ClusterConfig.shape.id,
  name: z.string().min(1).max(100),
  /** Needed when the job was given a typed password: the dashboard never writes a typed password to its config. */
  passwordEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
    .optional(),
});
export type AddCreatedClusterRequest = z.infer<typeof AddCreatedClusterRequest>;

export interface CreateNodeFacts {
  addr: string;
  nodeId: string;
  redisVersion?: string;
}

/** The preview: the layout redis-cli would make, by host, and what the job will check the nodes against. */
export interface CreateClusterPreview {
  layout: CreateLayoutPlan;
  nodes: CreateNodeFacts[];
  /** addr -> node id, to send back with the start. */
  nodeIds: Record<string, string>;
  warnings: string[];
}

/** What a create-cluster job was asked (never a password: only whether one was typed). */
export interface CreateClusterParams {
  nodes: string[];
  replicas: number;
  nodeIds: Record<string, string>;
  loginFrom?: string;
  username?: string;
  loginTyped: boolean;
}

export interface CreatedNode {
  addr: string;
  nodeId: string;
  role: 'master' | 'replica';
  /** A replica's master address. */
  master?: string;
  /** A replica's master node id (what the consistency check compares). */
  masterId?: string;
  /** The address the node was given as, when the cluster announces it differently (host name, announce-ip, NAT). */
  typed?: string;
  slots: Array<[number, number]>;
}

export interface CreateClusterResult {
  nodes: CreatedNode[];
  ms: number;
}

/** POST /api/clusters/create/add-to-config */
export interface AddCreatedClusterResult {
  id: string;
  configPath: string;
  reloaded: boolean;
  problems?: string[];
}
