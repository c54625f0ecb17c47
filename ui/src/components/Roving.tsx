import { useRef, type ButtonHTMLAttributes, type HTMLAttributes, type KeyboardEvent, type ReactNode } from "react";

/**
 * Strips of choices that take one Tab stop (a roving tabindex) and move with
 * the arrow keys, as the WAI-ARIA tabs and radio group patterns describe.
 * Selection follows focus in both.
 */

export type Choice<T extends string> = { value: T; label: ReactNode; disabled?: boolean };

/**
 * Where a key moves focus among `count` items from `from`, wrapping and
 * skipping disabled ones; null for a key that does not move. Tabs move with
 * Left/Right, radios with all four arrows; both jump with Home/End.
 */
function rovingTarget(key: string, from: number, count: number, enabled: (i: number) => boolean, arrows: "horizontal" | "all"): number | null {
  const step = key === "ArrowRight" || (arrows === "all" && key === "ArrowDown") ? 1
    : key === "ArrowLeft" || (arrows === "all" && key === "ArrowUp") ? -1 : 0;
  const order = [...Array(count).keys()];
  if (key === "Home") return order.find(enabled) ?? null;
  if (key === "End") return order.reverse().find(enabled) ?? null;
  if (step === 0) return null;
  for (let n = 1; n < count; n++) {
    const i = (from + step * n + count * n) % count;
    if (enabled(i)) return i;
  }
  return null;
}

type StripProps<T extends string> = {
  label: string;
  choices: Choice<T>[];
  value: T | null;
  onChange: (value: T) => void;
  className?: string;
};

/** The strip both patterns share: roving tabindex, keys, selection following focus. */
function RovingStrip<T extends string>({ label, choices, value, onChange, className, role, arrows, itemProps }: StripProps<T> & {
  role: "tablist" | "radiogroup";
  arrows: "horizontal" | "all";
  /** The role and state of each button. */
  itemProps: (choice: Choice<T>) => ButtonHTMLAttributes<HTMLButtonElement>;
}) {
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const from = buttons.current.indexOf(e.target as HTMLButtonElement);
    if (from < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const to = rovingTarget(e.key, from, choices.length, (i) => !choices[i]?.disabled, arrows);
    const choice = to === null ? undefined : choices[to];
    if (to === null || !choice) return;
    e.preventDefault();
    onChange(choice.value);
    buttons.current[to]?.focus();
  };
  // The Tab stop: the chosen one, else the first enabled.
  const stop = choices.find((c) => c.value === value && !c.disabled)?.value ?? choices.find((c) => !c.disabled)?.value;
  return (
    <div className={className} role={role} aria-label={label} onKeyDown={onKeyDown}>
      {choices.map((c, i) => (
        <button key={c.value} ref={(el) => { buttons.current[i] = el; }} type="button" {...itemProps(c)}
          tabIndex={c.value === stop ? 0 : -1} disabled={c.disabled} onClick={() => onChange(c.value)}>
          {c.label}
        </button>
      ))}
    </div>
  );
}

const tabId = (base: string, value: string) => `${base}-tab-${value}`;
const panelId = (base: string, value: string) => `${base}-panel-${value}`;

/** The attributes of the panel a tab of `TabList` (same `idBase`) shows. */
export function tabPanelProps(idBase: string, value: string): HTMLAttributes<HTMLElement> {
  return { role: "tabpanel", id: panelId(idBase, value), "aria-labelledby": tabId(idBase, value) };
}

/** A WAI-ARIA tab list; each panel takes `tabPanelProps(idBase, value)`. */
export function TabList<T extends string>({ idBase, tabClassName, ...strip }: StripProps<T> & {
  /** Unique on the page (useId): ties each tab to its panel. */
  idBase: string;
  tabClassName?: string;
}) {
  return <RovingStrip {...strip} role="tablist" arrows="horizontal" itemProps={(t) => ({
    role: "tab", id: tabId(idBase, t.value), "aria-controls": panelId(idBase, t.value), "aria-selected": t.value === strip.value, className: tabClassName,
  })} />;
}

/** One of a few values, drawn as a segmented strip: a WAI-ARIA radio group. */
export function RadioStrip<T extends string>({ className = "segmented", ...strip }: StripProps<T>) {
  return <RovingStrip {...strip} className={className} role="radiogroup" arrows="all"
    itemProps={(c) => ({ role: "radio", "aria-checked": c.value === strip.value })} />;
}
