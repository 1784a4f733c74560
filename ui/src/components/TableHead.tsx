import { useI18n, type Key } from "../i18n";

/** A table's header row: one translated label per column, in order. */
export function TableHead({ columns }: { columns: readonly Key[] }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((k) => (
          <th key={k}>{t(k)}</th>
        ))}
      </tr>
    </thead>
  );
}
