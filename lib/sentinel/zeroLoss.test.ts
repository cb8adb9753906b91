import { describe, expect, it } from 'vitest';
import type { SentinelDataNode } from './types';
import { pauseBlockers, type ZeroLossInputs, zeroLossOf } from './zeroLoss';

const master: SentinelDataNode = {
  addr: '127.0.0.1:6379',
  host: '127.0.0.1',
  reachable: true,
  role: 'master',
  offset: 1000,
  knownBySentinels: 3,
  sentinelFlags: ['master'],
  version: '7.0.15',
};

const inputs = (over: Partial<ZeroLossInputs> = {}): ZeroLossInputs => ({
  pausable: true,
  master,
  timings: { pauseSliceMs: 2500, pauseLimitMs: 3000, catchUpMs: 3000, downAfterMs: 5000, failoverTimeoutMs: 10_000 },
  pauseFits: true,
  unwaitable: [],
  lagging: [],
  replicaReadOnly: 'yes',
  aclRefused: [],
  ...over,
});

describe('zeroLossOf: the data-node user’s rights', () => {
  it('pauses, and guarantees zero loss, when every command the pause path sends is allowed', () => {
    const z = zeroLossOf(inputs());
    expect(z).toMatchObject({ guaranteed: true, pauses: true, reasons: [] });
  });

  it('a refused CONFIG REWRITE is no reason: the job demotes without it (a note at run time)', () => {
    const z = zeroLossOf(
      inputs({ aclRefused: ["CONFIG REWRITE (This user has no permissions to run the 'config|rewrite' command)"] }),
    );
    expect(z).toMatchObject({ guaranteed: true, pauses: true });
  });

  it.each([
    ["REPLICAOF (This user has no permissions to run the 'replicaof' command)"],
    ["CLIENT KILL (This user has no permissions to run the 'client|kill' command)"],
    ['REPLICAOF (REPLICAOF is disabled on 127.0.0.1:6379 (commandRenames: ""))'],
    ["CLIENT PAUSE (This user has no permissions to run the 'client|pause' command)"],
  ])('%s refused: no pause path, and the statement says why and what to allow', (refused) => {
    const z = zeroLossOf(inputs({ aclRefused: [refused] }));
    expect(z.pauses).toBe(false);
    expect(z.guaranteed).toBe(false);
    expect(z.reasons).toHaveLength(1);
    expect(z.statement).toContain(refused);
    expect(z.statement).toMatch(/so it does not pause them; writes taken during the switch can be lost/);
    expect(z.statement).toMatch(/allow CLIENT PAUSE, REPLICAOF and CLIENT KILL/);
    expect(z.statement).toMatch(/min-replicas-to-write/);
    expect(z.statement).not.toMatch(/No acknowledged write is lost/);
  });

  it('pauseBlockers keeps only the commands the pause path needs', () => {
    expect(pauseBlockers(['CONFIG REWRITE (x)', 'REPLICAOF (y)', 'CLIENT KILL (z)', 'CLIENT PAUSE (w)'])).toEqual([
      'REPLICAOF (y)',
      'CLIENT KILL (z)',
      'CLIENT PAUSE (w)',
    ]);
    expect(pauseBlockers(undefined)).toEqual([]);
  });
});
