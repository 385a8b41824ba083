// Grey placeholder bars shown where content is on its way, so the layout does
// not jump when it arrives.
export function SkeletonLines({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <div class="skeleton" role="status" aria-label={label} data-testid="skeleton">
      {Array.from({ length: rows }, (_, i) => (
        <span key={i} class="skeleton-bar" style={{ width: `${92 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}
