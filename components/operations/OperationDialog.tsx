'use client';

import { type ReactNode, type RefObject, useEffect, useId } from 'react';

/**
 * The modal every cluster-changing operation (reshard, rebalance/drain, fix) opens in: a title and Close on top, the
 * plan scrolling in the middle, the typed confirmation and Start fixed at the bottom. `name` prefixes the test ids
 * (`<name>-dialog`, `-body`, `-close`). `refused`: the operation cannot start as things are (refused, or a pre-check
 * failed); the footer then shows that reason as plain text, with its way out if there is one, in place of the typed
 * confirmation and Start (`<name>-not-startable`), so nothing in it looks like it could still be pressed.
 */
export function OperationDialog({
  name,
  dialog,
  title,
  onClose,
  footer,
  refused,
  children,
}: {
  name: string;
  dialog: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  onClose: () => void;
  footer: ReactNode;
  refused?: ReactNode;
  children: ReactNode;
}) {
  const titleId = useId();
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, [dialog]);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby={titleId}
      data-testid={`${name}-dialog`}
      className="m-auto w-[min(76rem,calc(100vw-2rem))] max-w-none overflow-hidden rounded-lg border-2 border-warn/60 bg-panel p-0 text-text backdrop:bg-black/70"
    >
      <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
        <header className="flex items-baseline gap-3 border-b border-border px-4 py-3">
          <h2 id={titleId} className="min-w-0 truncate text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="ml-auto shrink-0 rounded border border-border px-3 py-1 text-sm"
            data-testid={`${name}-close`}
          >
            Close
          </button>
        </header>
        <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-4 py-3" data-testid={`${name}-body`}>
          {children}
        </div>
        <footer className="space-y-2 border-t border-border px-4 py-3">
          {refused ? (
            <div className="flex flex-wrap items-center gap-3 text-sm" data-testid={`${name}-not-startable`}>
              {refused}
            </div>
          ) : (
            footer
          )}
        </footer>
      </div>
    </dialog>
  );
}

/** "Type <what> to confirm: <expected>" and its field, then the start error if any (`<name>-confirm`, `-error`). */
export function TypedConfirmation({
  name,
  what,
  expected,
  value,
  onChange,
  error,
}: {
  name: string;
  what: string;
  expected: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  return (
    <>
      <label className="flex flex-wrap items-center gap-2 text-sm">
        <span>
          Type {what} to confirm: <code className="select-all font-mono">{expected}</code>
        </span>
        <input
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className="min-w-64 flex-1 rounded border border-border bg-bg px-2 py-1 font-mono text-sm"
          aria-label="Confirmation"
          spellCheck={false}
          autoComplete="off"
          data-testid={`${name}-confirm`}
        />
      </label>
      {error && (
        <p className="text-sm text-crit" role="alert" data-testid={`${name}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

/**
 * The `refused` text of a dialog whose pre-checks failed: which check, its value, how many more; plain words, no
 * button, since nothing can start until the checks pass.
 */
export function FailedChecks({
  failed,
  wayOut,
}: {
  failed: ReadonlyArray<{ name: string; value: string }>;
  /** What the operator can do about it, where the dialog offers something. */
  wayOut?: ReactNode;
}) {
  const [first] = failed;
  if (!first) return null;
  const more = failed.length - 1;
  return (
    <p>
      <strong>Blocked:</strong> the pre-check “{first.name}” failed ({first.value}){more > 0 ? ` and ${more} more` : ''}
      . See the checks above: nothing can start until they pass.
      {wayOut ? <> {wayOut}</> : null}
    </p>
  );
}
