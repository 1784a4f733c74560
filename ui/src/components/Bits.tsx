// Small pieces several screens show the same way.
import type { Language } from "../bindings/Language";
import { LANGS, useI18n } from "../i18n";
import { severityLabel } from "../lib/filters";

/** A severity as a tag: critical in red, high in amber. */
export function SeverityTag({ level }: { level: number }) {
  const { t } = useI18n();
  return <span className={`tag${level >= 4 ? " bad" : level === 3 ? " warn" : ""}`}>{severityLabel(t, level)}</span>;
}

/** The choice of language, each named in its own language. */
export function LanguageOptions() {
  const { t } = useI18n();
  return (
    <>
      {LANGS.map((l: Language) => (
        <option key={l} value={l} lang={l}>
          {t(`settings.lang.${l}`)}
        </option>
      ))}
    </>
  );
}

/** A row of tab buttons; the chosen one is pressed. */
export function Tabs<K extends string>({
  tabs,
  current,
  label,
  onChoose,
}: {
  tabs: readonly K[];
  current: K;
  label: (k: K) => string;
  onChoose: (k: K) => void;
}) {
  return (
    <div className="tabs" role="tablist" style={{ marginBottom: 10, display: "flex", gap: 6 }}>
      {tabs.map((k) => (
        <button
          key={k}
          type="button"
          role="tab"
          aria-selected={current === k}
          className={current === k ? "primary" : ""}
          data-testid={`tab-${k}`}
          onClick={() => onChoose(k)}
        >
          {label(k)}
        </button>
      ))}
    </div>
  );
}
