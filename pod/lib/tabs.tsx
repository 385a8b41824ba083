// A row of tabs (WAI-ARIA tablist); the caller renders the active panel.
export interface TabSpec<T extends string> {
  id: T;
  label: string;
}

export function Tabs<T extends string>({ tabs, active, onSelect, label }: { tabs: TabSpec<T>[]; active: T; onSelect: (id: T) => void; label: string }) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          class={t.id === active ? 'tab tab-active' : 'tab'}
          aria-selected={t.id === active}
          onClick={() => onSelect(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
