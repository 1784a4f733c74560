// Parts of the SLA tab: which complaints a policy applies to (kinds,
// severities, channels, a category and its sub-categories, public
// exposure), its warning thresholds, and the site's callback retries and
// repeat window. Rust checks the values when the configuration is saved.
import { useState } from "react";
import type { CallbackPolicy } from "../bindings/CallbackPolicy";
import type { Channel } from "../bindings/Channel";
import type { ComplaintKind } from "../bindings/ComplaintKind";
import type { RepeatPolicy } from "../bindings/RepeatPolicy";
import type { SlaPolicy } from "../bindings/SlaPolicy";
import { useI18n } from "../i18n";
import { useNames } from "../lib/names";
import { CHANNELS, KINDS } from "./complaint/newComplaintForm";

const SEVERITIES = [1, 2, 3, 4] as const;
type Level = (typeof SEVERITIES)[number];

function toggle<T>(list: readonly T[], item: T, on: boolean): T[] {
  return on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
}

/** Checkboxes for a set of values; none checked matches any. */
function Choices<T extends string | number>({
  label,
  values,
  chosen,
  name,
  testId,
  onChange,
}: {
  label: string;
  values: readonly T[];
  chosen: readonly T[];
  name: (v: T) => string;
  testId: string;
  onChange: (v: T[]) => void;
}) {
  return (
    <fieldset style={{ border: "none", padding: 0, margin: 0 }}>
      <legend style={{ fontSize: 13 }}>{label}</legend>
      <div style={{ display: "flex", gap: 10, flexWrap: "wrap" }}>
        {values.map((v) => (
          <label key={String(v)} style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
            <input
              type="checkbox"
              data-testid={`${testId}-${v}`}
              checked={chosen.includes(v)}
              onChange={(e) => onChange(toggle(chosen, v, e.target.checked))}
            />
            {name(v)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Which complaints `policy` applies to, and when its clocks warn. */
export function PolicyMatchEditor({
  policy,
  index,
  onChange,
}: {
  policy: SlaPolicy;
  index: number;
  onChange: (p: SlaPolicy) => void;
}) {
  const { t } = useI18n();
  const names = useNames();
  const w = policy.when;
  const set = (when: Partial<SlaPolicy["when"]>) => onChange({ ...policy, when: { ...w, ...when } });
  const [warn, setWarn] = useState((policy.warn_at_permille ?? []).map((p) => p / 10).join(", "));
  const warnParsed = parsePercents(warn);
  const groups = names.catalogs.categories;
  return (
    <div data-testid={`admin-policy-${index}-when`} style={{ display: "flex", flexDirection: "column", gap: 8, margin: "8px 0" }}>
      <Choices
        label={t("admin.match.kinds")}
        values={KINDS}
        chosen={w.kinds}
        name={(k: ComplaintKind) => t(`kind.${k}`)}
        testId={`admin-policy-${index}-kind`}
        onChange={(kinds) => set({ kinds })}
      />
      <Choices
        label={t("admin.match.severities")}
        values={SEVERITIES}
        chosen={w.severities.filter((s): s is Level => (SEVERITIES as readonly number[]).includes(s))}
        name={(s: Level) => t(`severity.${s}`)}
        testId={`admin-policy-${index}-severity`}
        onChange={(severities) => set({ severities })}
      />
      <Choices
        label={t("admin.match.channels")}
        values={CHANNELS}
        chosen={w.channels}
        name={(c: Channel) => names.channel(c)}
        testId={`admin-policy-${index}-channel`}
        onChange={(channels) => set({ channels })}
      />
      <div style={{ display: "flex", gap: 12, flexWrap: "wrap" }}>
        <label>
          {t("admin.match.category")}{" "}
          {groups.length > 0 ? (
            <select
              data-testid={`admin-policy-${index}-category`}
              value={w.category_prefix ?? ""}
              onChange={(e) => set({ category_prefix: e.target.value === "" ? null : e.target.value })}
            >
              <option value="">{t("admin.match.any")}</option>
              {groups.map((g) => (
                <optgroup key={g.code} label={names.category(g.code)}>
                  <option value={g.code}>{t("admin.match.whole_group", { group: names.category(g.code) })}</option>
                  {g.categories.map((c) => (
                    <option key={c.code} value={c.code}>
                      {names.category(c.code)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          ) : (
            <input
              data-testid={`admin-policy-${index}-category`}
              placeholder="broadband"
              value={w.category_prefix ?? ""}
              spellCheck={false}
              onChange={(e) => set({ category_prefix: e.target.value.trim() === "" ? null : e.target.value.trim() })}
            />
          )}
        </label>
        <label>
          {t("admin.match.public")}{" "}
          <select
            data-testid={`admin-policy-${index}-public`}
            value={w.public_exposure === null ? "" : String(w.public_exposure)}
            onChange={(e) => set({ public_exposure: e.target.value === "" ? null : e.target.value === "true" })}
          >
            <option value="">{t("admin.match.any")}</option>
            <option value="true">{t("admin.match.public_yes")}</option>
            <option value="false">{t("admin.match.public_no")}</option>
          </select>
        </label>
        <label>
          {t("admin.match.warn")}{" "}
          <input
            data-testid={`admin-policy-${index}-warn`}
            value={warn}
            placeholder="75"
            aria-invalid={warnParsed === undefined || undefined}
            style={{ width: 120 }}
            onChange={(e) => {
              setWarn(e.target.value);
              const p = parsePercents(e.target.value);
              if (p !== undefined) onChange({ ...policy, warn_at_permille: p });
            }}
          />
        </label>
      </div>
      {warnParsed === undefined && <span className="field-error">{t("admin.match.warn_bad")}</span>}
    </div>
  );
}

/** "75, 90" as thousandths ascending; null for none (the built-in 75%); undefined when not percents. */
export function parsePercents(text: string): number[] | null | undefined {
  const parts = text
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}(\.\d)?$/.test(p)) return undefined;
    const permille = Math.round(Number(p) * 10);
    if (permille <= 0 || permille >= 1000) return undefined;
    out.push(permille);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The site's callback retries and repeat window. */
export function CallbacksAndRepeats({
  callbacks,
  repeats,
  onChange,
}: {
  callbacks: CallbackPolicy;
  repeats: RepeatPolicy;
  onChange: (c: CallbackPolicy, r: RepeatPolicy) => void;
}) {
  const { t } = useI18n();
  const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : null);
  const [retry, setRetry] = useState(String(callbacks.retry_delay_secs / 3600));
  return (
    <section className="panel" data-testid="admin-callbacks" style={{ display: "flex", gap: 16, flexWrap: "wrap", alignItems: "end" }}>
      <h2 style={{ margin: 0, flexBasis: "100%" }}>{t("admin.repeat.title")}</h2>
      <label>
        {t("admin.repeat.retry_hours")}
        <input
          data-testid="admin-callback-retry"
          inputMode="decimal"
          value={retry}
          style={{ width: 80, display: "block" }}
          onChange={(e) => {
            setRetry(e.target.value);
            const h = Number(e.target.value.replace(",", "."));
            if (e.target.value.trim() !== "" && Number.isFinite(h) && h > 0) {
              onChange({ ...callbacks, retry_delay_secs: Math.round(h * 3600) }, repeats);
            }
          }}
        />
      </label>
      <label>
        {t("admin.repeat.attempts")}
        <input
          data-testid="admin-callback-attempts"
          inputMode="numeric"
          defaultValue={callbacks.max_attempts}
          style={{ width: 80, display: "block" }}
          onChange={(e) => {
            const n = num(e.target.value);
            if (n !== null) onChange({ ...callbacks, max_attempts: n }, repeats);
          }}
        />
      </label>
      <label>
        {t("admin.repeat.window")}
        <input
          data-testid="admin-repeat-window"
          inputMode="numeric"
          defaultValue={repeats.window_days}
          style={{ width: 80, display: "block" }}
          onChange={(e) => {
            const n = num(e.target.value);
            if (n !== null) onChange(callbacks, { ...repeats, window_days: n });
          }}
        />
      </label>
      <label>
        {t("admin.repeat.escalate")}
        <input
          data-testid="admin-repeat-escalate"
          inputMode="numeric"
          defaultValue={repeats.escalate_at}
          style={{ width: 80, display: "block" }}
          onChange={(e) => {
            const n = num(e.target.value);
            if (n !== null) onChange(callbacks, { ...repeats, escalate_at: n });
          }}
        />
      </label>
    </section>
  );
}
