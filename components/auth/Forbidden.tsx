export function Forbidden({ needs }: { needs: string }) {
  return (
    <p className="rounded border border-border bg-panel p-4" role="alert" data-testid="forbidden">
      This page needs the <strong>{needs}</strong> role.
    </p>
  );
}
