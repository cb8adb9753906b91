'use client';

import { type ReactNode, type RefObject, useEffect, useId } from 'react';

/**
 * The modal every cluster-changing operation (reshard, rebalance/drain, fix) opens in: a title and Close on top, the
 * plan scrolling in the middle, the typed confirmation and Start fixed at the bottom. `name` prefixes the test ids
 * (`<name>-dialog`, `-body`, `-close`).
 */
export function OperationDialog({
  name,
  dialog,
  title,
  onClose,
  footer,
  children,
}: {
  name: string;
  dialog: RefObject<HTMLDialogElement | null>;
  title: ReactNode;
  onClose: () => void;
  footer: ReactNode;
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
        <footer className="space-y-2 border-t border-border px-4 py-3">{footer}</footer>
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
