// Runs `redis-cli --cluster check` (the oracle nobody here wrote) and reads what it reports.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CheckReport {
  agree: boolean;
  covered: boolean;
  openSlots: number[];
  /** addr -> slots it has in migrating / importing state */
  migrating: Record<string, number[]>;
  importing: Record<string, number[]>;
  /** Masters listed by redis-cli (with slots) -> how many replicas it counted. */
  replicasOf: Record<string, number>;
  /** Addresses it could not connect to. */
  unreachable: string[];
  /** With --cluster-search-multiple-owners: slot -> the addresses it lists as owners. */
  multipleOwners: Record<number, string[]>;
  /** Replicas it says claim to be a replica of an unknown node. */
  replicasOfUnknown: string[];
}

const slotsOf = (text: string) =>
  text
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n));

export function parseCheck(output: string): CheckReport {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes redis-cli prints
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const report: CheckReport = {
    agree: true,
    covered: true,
    openSlots: [],
    migrating: {},
    importing: {},
    replicasOf: {},
    unreachable: [],
    multipleOwners: {},
    replicasOfUnknown: [],
  };
  let currentMaster: string | undefined;
  let ownersOf: number | undefined;
  for (const line of text.split('\n')) {
    const master = /^M: [0-9a-f]{40} (\S+)/.exec(line);
    if (master?.[1]) {
      currentMaster = master[1];
      report.replicasOf[currentMaster] = 0;
      continue;
    }
    if (/^S: /.test(line)) currentMaster = undefined;
    const replicas = /^\s+(\d+) additional replica\(s\)/.exec(line);
    if (replicas && currentMaster) report.replicasOf[currentMaster] = Number(replicas[1]);
    if (/Nodes don't agree about configuration/.test(line)) report.agree = false;
    if (/Not all 16384 slots are covered/.test(line)) report.covered = false;
    const open = /The following slots are open: (.*)\.$/.exec(line);
    if (open?.[1]) report.openSlots = slotsOf(open[1]);
    const state = /Node (\S+) has slots in (migrating|importing) state (.*)\.$/.exec(line);
    if (state?.[1] && state[3])
      report[state[2] === 'migrating' ? 'migrating' : 'importing'][state[1]] = slotsOf(state[3]);
    const owners = /Slot (\d+) has \d+ owners:/.exec(line);
    if (owners?.[1]) {
      ownersOf = Number(owners[1]);
      report.multipleOwners[ownersOf] = [];
      continue;
    }
    const owner = /^\s{4}(\S+:\d+)\s*$/.exec(line);
    if (owner?.[1] && ownersOf !== undefined) report.multipleOwners[ownersOf]?.push(owner[1]);
    else ownersOf = undefined;
    const unknown = /(\S+:\d+) claims to be (?:slave|replica) of unknown node/.exec(line);
    if (unknown?.[1]) report.replicasOfUnknown.push(unknown[1]);
    const refused = /Could not connect to Redis at (\S+?):? /.exec(line);
    if (refused?.[1]) report.unreachable.push(refused[1].replace(/:$/, ''));
  }
  return report;
}

export async function redisCliCheck(
  addr: string,
  password?: string,
  options: { searchMultipleOwners?: boolean } = {},
): Promise<CheckReport> {
  const args = [
    '--cluster',
    'check',
    addr,
    ...(options.searchMultipleOwners ? ['--cluster-search-multiple-owners'] : []),
    ...(password ? ['-a', password, '--no-auth-warning'] : []),
  ];
  // redis-cli exits non-zero when it finds problems; the output is what counts.
  const { stdout, stderr } = await run('redis-cli', args, { timeout: 20_000 }).catch(
    (err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }),
  );
  return parseCheck(`${stdout}\n${stderr}`);
}
