/**
 * The choices of a <select>: an optional empty choice first (for "choose…" or
 * "any"), then one option per value, labelled by `label`.
 */
export function Options<V extends string | number>({
  values,
  label,
  empty,
}: {
  values: readonly V[];
  label: (v: V) => string;
  empty?: string;
}) {
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {values.map((v) => (
        <option key={v} value={String(v)}>
          {label(v)}
        </option>
      ))}
    </>
  );
}
