import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, test } from '@playwright/test';
import type { ReshardPreview } from '../lib/jobs/reshardPreview';
import type { ReshardJob } from '../lib/jobs/types';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import { fillSlots } from '../scripts/test/slotData';
import { loginAs, type Stack, startStack } from './support/stack';

// The reshard API through the built server: roles, the typed confirmation, the preview's shape, a job to its result,
// the one-operation-per-cluster refusal, cancel, and resume/roll back of a job that has nothing left.

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let a: { id: string; addr: string };
let b: { id: string; addr: string };

test.beforeAll(async () => {
  stack = await startStack();
  const seed = stack.dev.nodes[0];
  if (!seed) throw new Error('no node');
  const masters = parseClusterNodes(await stack.dev.clusterNodes(seed))
    .filter((l) => l.role === 'master')
    .sort((x, y) => (x.slots[0]?.[0] ?? 0) - (y.slots[0]?.[0] ?? 0))
    .map((l) => ({ id: l.id, addr: `${l.host}:${l.port}` }));
  [a, b] = masters as [typeof a, typeof b];
  await fillSlots(
    stack.dev,
    Array.from({ length: 1000 }, (_, i) => i),
    () => 20,
  );
});
test.afterAll(async () => {
  await stack?.stop();
});

const post = (request: APIRequestContext, url: string, data?: unknown) =>
  request.post(`${stack.baseURL}${url}`, { data, headers: { origin: stack.baseURL } });

async function ended(request: APIRequestContext, jobId: string): Promise<ReshardJob> {
  let job: ReshardJob | undefined;
  await expect
    .poll(
      async () => {
        job = (await (await request.get(`${stack.baseURL}/api/jobs/${jobId}`)).json()) as ReshardJob;
        return job.state;
      },
      { timeout: 60_000, intervals: [100] },
    )
    .not.toBe('running');
  if (!job) throw new Error('no job');
  return job;
}

test('a viewer may neither preview nor start a reshard', async ({ request }) => {
  await loginAs(request, stack, 'viewer');
  expect(
    (await post(request, `/api/clusters/${stack.clusterId}/reshard/plan`, { target: b.id, slots: [[0, 9]] })).status(),
  ).toBe(403);
  expect(
    (
      await post(request, `/api/clusters/${stack.clusterId}/reshard`, {
        target: b.id,
        slots: [[0, 9]],
        confirm: 'E2E cluster',
      })
    ).status(),
  ).toBe(403);
});

test('an operator previews, confirms with the cluster name and follows the job to its result', async ({ request }) => {
  await loginAs(request, stack, 'operator');
  const bad = await post(request, `/api/clusters/${stack.clusterId}/reshard/plan`, {
    target: b.id,
    count: 0,
    sources: 'all',
  });
  expect(bad.status()).toBe(400);
  expect(JSON.stringify(await bad.json())).toContain('count');

  const plan = await post(request, `/api/clusters/${stack.clusterId}/reshard/plan`, { target: b.id, slots: [[0, 99]] });
  expect(plan.status()).toBe(200);
  const preview = (await plan.json()) as ReshardPreview;
  expect(preview).toMatchObject({
    targetId: b.id,
    slots: 100,
    keys: 2000,
    allowed: true,
    atomic: { available: false },
  });
  expect(preview.sources).toEqual([
    expect.objectContaining({ nodeId: a.id, addr: a.addr, slots: [[0, 99]], slotCount: 100, keys: 2000 }),
  ]);
  expect(preview.bytes).toBeGreaterThan(2000 * 100);
  expect(preview.checks.map((c) => c.name)).toContain('no open slot');

  const body = { target: b.id, slots: [[0, 99]] };
  expect((await post(request, `/api/clusters/${stack.clusterId}/reshard`, body)).status()).toBe(400);
  const misspelt = await post(request, `/api/clusters/${stack.clusterId}/reshard`, { ...body, confirm: 'e2e cluster' });
  expect(misspelt.status()).toBe(400);
  expect(((await misspelt.json()) as { error: { code: string } }).error.code).toBe('confirmation_required');

  const started = await post(request, `/api/clusters/${stack.clusterId}/reshard`, { ...body, confirm: 'E2E cluster' });
  expect(started.status()).toBe(200);
  const { jobId } = (await started.json()) as { jobId: string };
  const job = await ended(request, jobId);
  expect(job.state, job.error).toBe('succeeded');
  expect(job.kind).toBe('reshard');
  expect(job.params).toEqual(body);
  expect(job.result).toMatchObject({ slotsMoved: 100, keysMoved: 2000 });
  expect(job.result?.ms).toBeGreaterThan(0);
  expect(job.migration).toMatchObject({
    slotsDone: 100,
    slotsTotal: 100,
    keysMoved: 2000,
    moved: [[0, 99]],
    inFlight: [],
  });
  expect(job.openSlots).toEqual([]);
  const listed = (await (
    await request.get(`${stack.baseURL}/api/jobs?clusterId=${stack.clusterId}`)
  ).json()) as ReshardJob[];
  expect(listed.map((j) => j.id)).toContain(jobId);

  // Nothing left to resume or roll back.
  expect((await post(request, `/api/jobs/${jobId}/resume`)).status()).toBe(409);
  expect((await post(request, `/api/jobs/${jobId}/rollback`)).status()).toBe(409);
  const audit = await readFile(stack.auditPath, 'utf8');
  expect(audit).toContain('"action":"cluster.reshard"');
  expect(audit).toContain('"action":"cluster.reshard.result"');
});

test('a second operation is refused with 409 naming the running job; cancel leaves no slot open', async ({
  request,
}) => {
  await loginAs(request, stack, 'operator');
  const slow = await post(request, `/api/clusters/${stack.clusterId}/reshard`, {
    target: b.id,
    slots: [[100, 999]],
    options: { throttleKeysPerSec: 2000 },
    confirm: 'E2E cluster',
  });
  expect(slow.status(), await slow.text()).toBe(200);
  const { jobId } = (await slow.json()) as { jobId: string };
  const second = await post(request, `/api/clusters/${stack.clusterId}/reshard`, {
    target: b.id,
    slots: [[1000, 1001]],
    confirm: 'E2E cluster',
  });
  expect(second.status()).toBe(409);
  const refusal = ((await second.json()) as { error: { message: string } }).error.message;
  expect(refusal).toContain(jobId);
  expect(refusal).toMatch(/reshard/);
  await expect
    .poll(
      async () =>
        ((await (await request.get(`${stack.baseURL}/api/jobs/${jobId}`)).json()) as ReshardJob).migration?.slotsDone ??
        0,
      {
        timeout: 30_000,
      },
    )
    .toBeGreaterThan(3);
  expect((await post(request, `/api/jobs/${jobId}/cancel`)).status()).toBe(200);
  const job = await ended(request, jobId);
  expect(job.state).toBe('cancelled');
  expect(job.openSlots).toEqual([]);
  expect(job.result?.slotsMoved).toBeGreaterThan(3);
  expect(job.result?.slotsMoved).toBeLessThan(900);
});
