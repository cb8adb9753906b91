'use client';

import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { configSetPlanQuery, startConfigSet } from '@/lib/client/config';
import { CONFIG_NAME, configConfirmation, refusedParam } from '@/lib/nodeConfig/setPlan';
import { useDebounced } from '../common/useDebounced';
import { OperationDialog, TypedConfirmation } from '../operations/OperationDialog';
import { ConfigSetJob } from './ConfigSetJob';

const INPUT = 'rounded border border-border bg-bg px-2 py-1 font-mono text-sm';

/**
 * "Set on every node": parameters and values, the plan read from every node (old → new), CONFIG REWRITE or not, the
 * typed parameter names, then the job's progress per node. If one node refuses, the job puts the old values back.
 */
export function ConfigSetDialog({ clusterId, onClose }: { clusterId: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [rows, setRows] = useState<Array<{ name: string; value: string }>>([{ name: '', value: '' }]);
  const [rewrite, setRewrite] = useState(true);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const params = Object.fromEntries(rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.value]));
  const names = useDebounced(
    Object.keys(params).filter((n) => CONFIG_NAME.test(n)),
    400,
  );
  const problems = Object.keys(params)
    .map((n) => [n, refusedParam(n)] as const)
    .filter(([, reason]) => reason);
  const plan = useQuery(configSetPlanQuery(clusterId, names));
  const preview = plan.data;
  const expected = configConfirmation(params);
  const ready =
    preview?.ok === true && !plan.isFetching && problems.length === 0 && names.length === Object.keys(params).length;

  async function begin() {
    setError(undefined);
    try {
      const started = await startConfigSet(clusterId, { params, rewrite }, confirm);
      if (started?.jobId) setJobId(started.jobId);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const setRow = (i: number, patch: Partial<{ name: string; value: string }>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <OperationDialog
      name="config-set"
      dialog={dialog}
      title="Set on every node"
      onClose={onClose}
      footer={
        jobId ? (
          <p className="text-sm text-muted">The job runs on the server; closing this leaves it running.</p>
        ) : (
          <>
            <TypedConfirmation
              name="config-set"
              what="the parameter names"
              expected={expected}
              value={confirm}
              onChange={setConfirm}
              error={error}
            />
            <button
              type="button"
              disabled={!ready || confirm !== expected}
              onClick={() => void begin()}
              className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="config-set-start"
            >
              Start: CONFIG SET on {preview?.ok ? preview.rows.length : '…'} node(s)
            </button>
          </>
        )
      }
    >
      {jobId ? (
        <ConfigSetJob jobId={jobId} />
      ) : (
        <>
          <p className="text-sm text-muted">
            <code>CONFIG SET</code> on each node in turn, masters first. If any node refuses, the nodes already changed
            get their old values back and the job fails naming the node. Passwords, files and addresses are refused.
          </p>
          <div className="space-y-2">
            {rows.map((r, i) => (
              <div key={`row-${i.toString()}`} className="flex gap-2">
                <input
                  className={`${INPUT} w-72`}
                  placeholder="parameter, e.g. maxmemory-policy"
                  aria-label="Parameter"
                  value={r.name}
                  onChange={(e) => setRow(i, { name: e.target.value.toLowerCase() })}
                  data-testid="config-set-name"
                />
                <input
                  className={`${INPUT} flex-1`}
                  placeholder="value"
                  aria-label="Value"
                  value={r.value}
                  onChange={(e) => setRow(i, { value: e.target.value })}
                  data-testid="config-set-value"
                />
              </div>
            ))}
            <div className="flex gap-4 text-sm">
              <button type="button" className="underline" onClick={() => setRows([...rows, { name: '', value: '' }])}>
                + another parameter
              </button>
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={rewrite} onChange={(e) => setRewrite(e.target.checked)} />
                then <code>CONFIG REWRITE</code> (persist to each node’s config file, where it has one)
              </label>
            </div>
          </div>
          {problems.map(([name, reason]) => (
            <p key={name} className="text-sm text-crit" role="alert">
              {name}: {reason}
            </p>
          ))}
          {plan.error && <p className="text-sm text-crit">{plan.error.message}</p>}
          {preview && !preview.ok && (
            <p className="font-semibold text-crit" role="alert" data-testid="config-set-refused">
              {preview.reason}
            </p>
          )}
          {preview?.ok && (
            <table className="w-full text-left text-sm" data-testid="config-set-plan">
              <thead className="text-xs text-muted">
                <tr>
                  <th className="pr-3 font-normal">node</th>
                  <th className="pr-3 font-normal">role</th>
                  <th className="font-normal">old → new</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.id} className="border-t border-border" data-testid="config-set-row" data-addr={row.addr}>
                    <td className="py-1 pr-3 font-mono">{row.addr}</td>
                    <td className="py-1 pr-3">{row.role}</td>
                    <td className="py-1 font-mono">
                      {row.changes.map((c) => (
                        <div key={c.name}>
                          {c.name} {c.old === '' ? '(empty)' : c.old} → {params[c.name] ?? ''}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </OperationDialog>
  );
}
