/**
 * A numeric input that lets the person type freely (a half-typed "0." is fine) and commits
 * a valid number on every valid edit, on Enter and on blur; an invalid entry snaps back.
 */
import { useEffect, useState } from 'react';

interface Props {
  value: number;
  onCommit: (v: number) => void;
  label: string;
  min?: number;
  max?: number;
  step?: number | 'any';
  integer?: boolean;
  className?: string;
  disabled?: boolean;
}

export function NumberField({ value, onCommit, label, min = -Infinity, max = Infinity, step = 'any', integer, className, disabled }: Props) {
  const [draft, setDraft] = useState(String(value));
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setDraft(String(value));
  }, [value, focused]);
  const valid = (s: string) => {
    if (s.trim() === '') return null;
    const n = Number(s);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return null;
    return n;
  };
  const bad = valid(draft) === null;
  return (
    <input
      className={`num mono ${bad ? 'invalid' : ''} ${className ?? ''}`}
      type="text"
      inputMode="decimal"
      aria-label={label}
      aria-invalid={bad}
      value={draft}
      disabled={disabled}
      title={bad ? `Enter a number${Number.isFinite(min) ? ` from ${min}` : ''}${Number.isFinite(max) ? ` to ${max}` : ''}` : undefined}
      data-step={step}
      onFocus={() => setFocused(true)}
      onChange={(e) => {
        setDraft(e.target.value);
        const n = valid(e.target.value);
        if (n !== null && n !== value) onCommit(n);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
      }}
      onBlur={() => {
        setFocused(false);
        const n = valid(draft);
        if (n === null) setDraft(String(value));
        else if (n !== value) onCommit(n);
      }}
    />
  );
}
