import { type KeyboardEvent, type ReactNode, useId, useState } from 'react';

interface Tab {
  id: string;
  label: string;
  content: ReactNode;
}

/** ARIA tabs: arrow keys move between them; only the selected panel is rendered. */
export function Tabs({ tabs, label }: { tabs: readonly Tab[]; label: string }) {
  const prefix = useId();
  const [selected, setSelected] = useState(tabs[0]?.id);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const index = tabs.findIndex((tab) => tab.id === selected);
    const next = tabs[(index + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next === undefined) return;
    setSelected(next.id);
    document.getElementById(`${prefix}-tab-${next.id}`)?.focus();
  }

  const current = tabs.find((tab) => tab.id === selected);
  return (
    <div className="tabs card">
      <div role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            id={`${prefix}-tab-${tab.id}`}
            type="button"
            role="tab"
            aria-selected={tab.id === selected}
            aria-controls={`${prefix}-panel`}
            tabIndex={tab.id === selected ? 0 : -1}
            onClick={() => setSelected(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div id={`${prefix}-panel`} role="tabpanel" aria-labelledby={`${prefix}-tab-${selected}`} className="tab-panel">
        {current?.content}
      </div>
    </div>
  );
}
