import { useId, useState, type KeyboardEvent } from "react";
import { Icon } from "./Dialog";

type Props = {
  label: string;
  values: string[];
  onChange: (values: string[]) => void;
  suggestions?: string[];
  placeholder?: string;
};

/** Chips plus a free-text input: Enter or comma adds, Backspace on empty removes the last. */
export function TokenInput({ label, values, onChange, suggestions = [], placeholder }: Props) {
  const [text, setText] = useState("");
  const listId = useId();
  const inputId = useId();
  const add = (raw: string) => {
    const v = raw.trim().replace(/,$/, "").trim();
    if (v && !values.includes(v)) onChange([...values, v]);
    setText("");
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === ",") {
      if (text.trim()) {
        e.preventDefault();
        add(text);
      }
    } else if (e.key === "Backspace" && !text && values.length) {
      onChange(values.slice(0, -1));
    }
  };
  const remaining = suggestions.filter((s) => !values.includes(s));
  return (
    <div className="field">
      <label className="field-label" htmlFor={inputId}>{label}</label>
      <div className="tokens" onClick={(e) => (e.currentTarget.querySelector("input") as HTMLInputElement | null)?.focus()}>
        {values.map((v) => (
          <span key={v} className="token">
            {v}
            <button type="button" className="token-x" aria-label={`Remove ${v} from ${label}`}
              onClick={() => onChange(values.filter((x) => x !== v))}>
              <Icon name="x" size={12} />
            </button>
          </span>
        ))}
        <input
          id={inputId}
          aria-label={label}
          value={text}
          list={remaining.length ? listId : undefined}
          placeholder={values.length ? "" : placeholder ?? "Add…"}
          onChange={(e) => {
            const v = e.target.value;
            if (remaining.includes(v)) add(v);
            else setText(v);
          }}
          onKeyDown={onKey}
          onBlur={() => text.trim() && add(text)}
        />
        {remaining.length > 0 && (
          <datalist id={listId}>
            {remaining.map((s) => <option key={s} value={s} />)}
          </datalist>
        )}
      </div>
    </div>
  );
}
