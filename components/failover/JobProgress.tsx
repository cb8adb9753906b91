import { formatCount } from '@/lib/format';
import type { FailoverJob } from '@/lib/jobs/types';
import { Term } from '../common/Term';
import { JobSteps } from '../operations/JobSteps';

const optMs = (n: number | undefined) => (n === undefined ? '–' : `${formatCount(n)} ms`);

/** A failover job's steps (JobSteps), then its notes and timings (elected, agreed, verified) and the new epoch. */
export function JobProgress({ job }: { job: FailoverJob }) {
  const t = job.result?.timings;
  return (
    <JobSteps job={job} name="failover">
      {job.result?.notes.length ? (
        <ul className="list-disc pl-5 text-sm text-warn" data-testid="failover-notes">
          {job.result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {t && (
        <p className="text-xs text-muted" data-testid="failover-timings">
          elected after {optMs(t.electedMs)} · every node agreed after {optMs(t.agreedMs)} · verified after{' '}
          {optMs(t.verifiedMs)}
          {job.result?.epoch !== undefined && (
            <>
              {' '}
              · new <Term word="epoch" /> {job.result.epoch}
            </>
          )}
        </p>
      )}
    </JobSteps>
  );
}
