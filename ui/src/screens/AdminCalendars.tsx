// The configuration screen's Calendars tab: the business calendars SLA
// targets and quiet hours are measured on. Per calendar: its time zone,
// opening windows per weekday (several a day), holidays, date overrides
// (make-up working days such as 调休, or a day closed), and an iCalendar
// import of days off and make-up days. Rust checks times and zones on save.
import { useState } from "react";
import type { AppError } from "../bindings/AppError";
import type { CalendarSpec } from "../bindings/CalendarSpec";
import type { IcalDays } from "../bindings/IcalDays";
import { Dialog } from "../components/Dialog";
import { ErrorBanner, Notice } from "../components/Status";
import { useI18n, type Key } from "../i18n";
import {
  WEEKDAYS,
  mergeIcal,
  newCalendar,
  overridesText,
  parseDates,
  parseOverrides,
  parseWindows,
  windowsText,
  type Weekday,
} from "../lib/adminEdit";
import { api, toAppError } from "../lib/api";

const DAY_LABEL: Record<Weekday, Key> = {
  mon: "admin.calendar.mon",
  tue: "admin.calendar.tue",
  wed: "admin.calendar.wed",
  thu: "admin.calendar.thu",
  fri: "admin.calendar.fri",
  sat: "admin.calendar.sat",
  sun: "admin.calendar.sun",
};

/** A text field that keeps what is typed and passes on what parses. */
function Parsed<T>({
  value,
  parse,
  onChange,
  testId,
  label,
  rows,
}: {
  value: string;
  parse: (text: string) => T | null;
  onChange: (v: T) => void;
  testId: string;
  label: string;
  rows?: number;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  const bad = parse(text) === null;
  const change = (v: string) => {
    setText(v);
    const parsed = parse(v);
    if (parsed !== null) onChange(parsed);
  };
  return (
    <>
      {rows ? (
        <textarea
          aria-label={label}
          data-testid={testId}
          rows={rows}
          value={text}
          spellCheck={false}
          aria-invalid={bad || undefined}
          style={{ fontFamily: "monospace" }}
          onChange={(e) => change(e.target.value)}
        />
      ) : (
        <input
          aria-label={label}
          data-testid={testId}
          value={text}
          spellCheck={false}
          aria-invalid={bad || undefined}
          onChange={(e) => change(e.target.value)}
        />
      )}
      {bad && <span className="field-error">{t("admin.calendar.bad_format")}</span>}
    </>
  );
}

export function CalendarsEditor({
  calendars,
  onChange,
}: {
  calendars: Record<string, CalendarSpec>;
  onChange: (c: Record<string, CalendarSpec>) => void;
}) {
  const { t } = useI18n();
  const [id, setId] = useState("");
  const [zone, setZone] = useState("Asia/Shanghai");
  const [problem, setProblem] = useState(false);
  const [importing, setImporting] = useState<string>();
  const [imported, setImported] = useState<string>();
  const set = (key: string, spec: CalendarSpec) => onChange({ ...calendars, [key]: spec });
  const ids = Object.keys(calendars);
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.calendar.hint")}
      </p>
      {imported && <Notice testId="admin-ical-done">{imported}</Notice>}
      {ids.length === 0 && (
        <div className="panel">
          <p className="muted" style={{ margin: 0 }}>
            {t("admin.calendar.empty")}
          </p>
        </div>
      )}
      {ids.map((key) => {
        const spec = calendars[key]!;
        return (
          <section key={key} className="panel" data-testid={`admin-calendar-${key}`} style={{ display: "flex", flexDirection: "column", gap: 8 }}>
            <div style={{ display: "flex", justifyContent: "space-between", alignItems: "baseline" }}>
              <h2 style={{ margin: 0, fontFamily: "monospace" }}>{key}</h2>
              <button type="button" data-testid={`admin-calendar-${key}-import`} onClick={() => setImporting(key)}>
                {t("admin.calendar.import")}
              </button>
            </div>
            <label>
              {t("admin.calendar.timezone")}{" "}
              <input
                data-testid={`admin-calendar-${key}-timezone`}
                value={spec.timezone}
                spellCheck={false}
                onChange={(e) => set(key, { ...spec, timezone: e.target.value })}
              />
            </label>
            <div style={{ display: "grid", gridTemplateColumns: "120px 1fr", gap: "4px 10px", alignItems: "center" }}>
              {WEEKDAYS.map((d) => (
                <div key={d} style={{ display: "contents" }}>
                  <span>{t(DAY_LABEL[d])}</span>
                  <div>
                    <Parsed
                      value={windowsText(spec.hours[d])}
                      parse={parseWindows}
                      label={t(DAY_LABEL[d])}
                      testId={`admin-calendar-${key}-${d}`}
                      onChange={(ws) => {
                        const hours = { ...spec.hours };
                        if (ws.length === 0) delete hours[d];
                        else hours[d] = ws;
                        set(key, { ...spec, hours });
                      }}
                    />
                  </div>
                </div>
              ))}
            </div>
            <span className="muted" style={{ fontSize: 12 }}>
              {t("admin.calendar.windows_hint")}
            </span>
            <label style={{ display: "flex", flexDirection: "column", gap: 4, maxWidth: 520 }}>
              {t("admin.calendar.holidays")}
              <Parsed
                key={spec.holidays.join()}
                value={spec.holidays.join("\n")}
                parse={parseDates}
                rows={4}
                label={t("admin.calendar.holidays")}
                testId={`admin-calendar-${key}-holidays`}
                onChange={(holidays) => set(key, { ...spec, holidays })}
              />
            </label>
            <label style={{ display: "flex", flexDirection: "column", gap: 4, maxWidth: 520 }}>
              {t("admin.calendar.overrides")}
              <Parsed
                key={Object.keys(spec.overrides).join()}
                value={overridesText(spec.overrides)}
                parse={parseOverrides}
                rows={3}
                label={t("admin.calendar.overrides")}
                testId={`admin-calendar-${key}-overrides`}
                onChange={(overrides) => set(key, { ...spec, overrides })}
              />
            </label>
            <span className="muted" style={{ fontSize: 12 }}>
              {t("admin.calendar.overrides_hint")}
            </span>
          </section>
        );
      })}
      <section className="panel" data-testid="admin-add-calendar">
        <h2 style={{ marginTop: 0 }}>{t("admin.calendar.add")}</h2>
        <div style={{ display: "flex", gap: 6 }}>
          <input
            aria-label={t("admin.calendar.id")}
            placeholder={t("admin.calendar.id")}
            data-testid="admin-add-calendar-id"
            spellCheck={false}
            value={id}
            onChange={(e) => setId(e.target.value)}
          />
          <input
            aria-label={t("admin.calendar.timezone")}
            data-testid="admin-add-calendar-timezone"
            spellCheck={false}
            value={zone}
            onChange={(e) => setZone(e.target.value)}
          />
          <button
            type="button"
            data-testid="admin-add-calendar-add"
            onClick={() => {
              const k = id.trim();
              if (k === "" || /\s/.test(k) || k === "24x7" || calendars[k] !== undefined || zone.trim() === "") {
                setProblem(true);
                return;
              }
              setProblem(false);
              onChange({ ...calendars, [k]: newCalendar(zone) });
              setId("");
            }}
          >
            {t("admin.add")}
          </button>
        </div>
        {problem && <span className="field-error">{t("admin.calendar.bad_id")}</span>}
      </section>
      {importing !== undefined && calendars[importing] && (
        <IcalImport
          calendar={importing}
          onCancel={() => setImporting(undefined)}
          onMerge={(days) => {
            const merged = mergeIcal(calendars[importing]!, days);
            set(importing, merged.spec);
            setImporting(undefined);
            setImported(
              t("admin.calendar.imported", {
                id: importing,
                holidays: merged.holidays,
                working: merged.working,
                skipped: days.skipped,
              }),
            );
          }}
        />
      )}
    </div>
  );
}

function IcalImport({
  calendar,
  onCancel,
  onMerge,
}: {
  calendar: string;
  onCancel: () => void;
  onMerge: (days: IcalDays) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  return (
    <Dialog
      title={t("admin.calendar.import_title", { id: calendar })}
      busy={busy}
      canConfirm={text.trim() !== ""}
      confirmLabel={t("admin.calendar.import")}
      testId="admin-ical-dialog"
      onCancel={onCancel}
      onConfirm={() => {
        setBusy(true);
        setFailure(undefined);
        api
          .importIcal(text)
          .then(onMerge)
          .catch((e: unknown) => setFailure(toAppError(e)))
          .finally(() => setBusy(false));
      }}
    >
      <p className="muted">{t("admin.calendar.import_hint")}</p>
      <textarea
        rows={10}
        data-testid="admin-ical-text"
        value={text}
        spellCheck={false}
        style={{ fontFamily: "monospace", width: "100%" }}
        onChange={(e) => setText(e.target.value)}
      />
      {failure && <ErrorBanner error={failure} />}
    </Dialog>
  );
}
