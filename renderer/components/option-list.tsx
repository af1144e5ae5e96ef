/** The options of a `<select>` drawn from a list of values. */

/** One `<option>` per value (its value the value as text), reading `show(value)`. */
export function OptionList<T extends string | number>({ values, show = String }: { values: readonly T[]; show?: (v: T) => string }) {
  return (
    <>
      {values.map((v) => (
        <option key={String(v)} value={String(v)}>
          {show(v)}
        </option>
      ))}
    </>
  );
}
