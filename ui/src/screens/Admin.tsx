// The configuration screen, for admins: the site's catalogs (departments,
// complaint categories, people's display names) and SLA targets, saved as a
// new version of the shared configuration (or a standalone console's own);
// the versions and what changed between them; the audit log; the whole
// configuration as TOML. Rust checks and stores; this screen edits.
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { AdminConfig } from "../bindings/AdminConfig";
import type { AppError } from "../bindings/AppError";
import type { AuditLine } from "../bindings/AuditLine";
import type { CatalogEntry } from "../bindings/CatalogEntry";
import type { Catalogs } from "../bindings/Catalogs";
import type { DiffLine } from "../bindings/DiffLine";
import type { Role } from "../bindings/Role";
import type { SlaPolicy } from "../bindings/SlaPolicy";
import { Tabs } from "../components/Bits";
import { Dialog } from "../components/Dialog";
import { EmptyState, ErrorBanner, ListBody, Loading, Notice, ScreenTitle } from "../components/Status";
import { translate, useI18n, type Key, type Lang } from "../i18n";
import {
  POLICY_CLOCKS,
  addCategory,
  addDepartment,
  addGroup,
  appliesToAll,
  entryProblem,
  hoursText,
  newEntry,
  newPolicy,
  parseHours,
  sameDraft,
  setTarget,
  updateEntry,
  type Draft,
  type PolicyClock,
} from "../lib/adminEdit";
import { api, toAppError } from "../lib/api";
import { settingsChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import { amountText } from "../lib/money";
import { personName, type EnumCatalog as EnumCatalogName } from "../lib/names";
import { INVALID_REASONS, REMEDY_KINDS } from "./complaint/choices";
import { CHANNELS } from "./complaint/newComplaintForm";
import { formatDateTime } from "../lib/time";
import { useLoad } from "../lib/useLoad";
import { AuthorityEditor } from "./AdminAuthority";
import { CallbacksAndRepeats, PolicyMatchEditor } from "./AdminPolicy";
import { CalendarsEditor } from "./AdminCalendars";
import { People } from "./AdminPeople";

const TABS = ["catalogs", "people", "sla", "calendars", "authority", "versions", "audit", "transfer"] as const;
type Tab = (typeof TABS)[number];

const CLOCK_LABEL: Record<PolicyClock, Key> = {
  first_response: "clock.first_response",
  progress_cadence: "clock.progress_update",
  resolution: "clock.resolution",
  approval: "clock.approval",
  callback: "clock.callback",
};

export function Admin() {
  const { t } = useI18n();
  const shell = useShell();
  const [tab, setTab] = useState<Tab>("catalogs");
  // New rules (this console's save, another admin's) reload the screen.
  const config = useLoad(() => api.adminConfig(), [], settingsChanged);
  const base = config.data;

  if (shell.settings.role !== "admin") {
    return (
      <div>
        <ScreenTitle title={t("admin.title")} />
        <div className="panel">
          <EmptyState title={t("admin.forbidden")} />
        </div>
      </div>
    );
  }
  return (
    <div data-testid="admin-screen">
      <ScreenTitle title={t("admin.title")} />
      {base && (
        <p className="muted" data-testid="admin-home" data-home={base.home} style={{ marginTop: -6 }}>
          {base.home === "local"
            ? t("admin.home.local")
            : base.version
              ? t("admin.home.server", { v: base.version })
              : t("admin.home.server_none")}
        </p>
      )}
      <Tabs tabs={TABS} current={tab} label={(k) => t(`admin.tab.${k}`)} onChoose={setTab} />
      {config.error && <ErrorBanner error={config.error} onRetry={config.reload} />}
      {!base ? (
        config.loading && <Loading />
      ) : tab === "catalogs" || tab === "sla" || tab === "authority" || tab === "calendars" ? (
        <Editor base={base} tab={tab} reload={config.reload} />
      ) : tab === "people" ? (
        <People base={base} />
      ) : tab === "versions" ? (
        <Versions base={base} />
      ) : tab === "audit" ? (
        <Audit base={base} />
      ) : (
        <Transfer base={base} reload={config.reload} />
      )}
    </div>
  );
}

/** The catalogs and SLA tabs share one draft and one save bar. */
function Editor({
  base,
  tab,
  reload,
}: {
  base: AdminConfig;
  tab: "catalogs" | "sla" | "authority" | "calendars";
  reload: () => void;
}) {
  const { t, lang } = useI18n();
  const start = useMemo<Draft>(
    () => ({
      catalogs: base.catalogs,
      policies: base.policies,
      authority: base.authority,
      notifications: base.notifications,
      callbacks: base.callbacks,
      repeats: base.repeats,
      calendars: base.calendar_specs,
    }),
    [base],
  );
  const [draft, setDraft] = useState<Draft>(start);
  const [note, setNote] = useState("");
  // A local date and time (datetime-local); empty: in force at once.
  const [from, setFrom] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [saved, setSaved] = useState<string>();
  const dirty = !sameDraft(draft, start);
  // Calendars added in this draft can be picked before it is saved.
  const calendarIds = ["24x7", ...Object.keys(draft.calendars)];

  // A new version (this console's save, another admin's) replaces an
  // unchanged draft; a draft with changes stays, and saving it answers
  // config_conflict if someone else saved meanwhile.
  const shown = useRef(start);
  useEffect(() => {
    if (sameDraft(draft, shown.current)) setDraft(start);
    shown.current = start;
    // Only when the configuration read changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [start]);

  const save = () => {
    setBusy(true);
    setFailure(undefined);
    setSaved(undefined);
    api
      .adminSave({
        base_version: base.version,
        catalogs: draft.catalogs,
        policies: draft.policies,
        authority: draft.authority,
        notifications: draft.notifications,
        calendars: draft.calendars,
        callbacks: draft.callbacks,
        repeats: draft.repeats,
        note,
        ...(from === "" ? {} : { effective_from: new Date(from).toISOString() }),
      })
      .then((v) => {
        setSaved(
          v === null
            ? t("admin.save.done_local")
            : from === ""
              ? t("admin.save.done_version", { v })
              : t("admin.save.done_scheduled", { v, at: formatDateTime(new Date(from).toISOString(), lang) }),
        );
        setNote("");
        setFrom("");
        reload();
      })
      .catch((e: unknown) => setFailure(toAppError(e)))
      .finally(() => setBusy(false));
  };

  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      {tab === "catalogs" ? (
        <CatalogsEditor
          catalogs={draft.catalogs}
          calendars={calendarIds}
          onChange={(catalogs) => setDraft({ ...draft, catalogs })}
        />
      ) : tab === "authority" ? (
        <AuthorityEditor matrix={draft.authority} onChange={(authority) => setDraft({ ...draft, authority })} />
      ) : tab === "calendars" ? (
        <CalendarsEditor calendars={draft.calendars} onChange={(calendars) => setDraft({ ...draft, calendars })} />
      ) : (
        <>
          <QuietHours
            policy={draft.notifications}
            calendars={calendarIds}
            onChange={(notifications) => setDraft({ ...draft, notifications })}
          />
          <SlaEditor
            policies={draft.policies}
            calendars={calendarIds}
            onChange={(policies) => setDraft({ ...draft, policies })}
          />
          <CallbacksAndRepeats
            callbacks={draft.callbacks}
            repeats={draft.repeats}
            onChange={(callbacks, repeats) => setDraft({ ...draft, callbacks, repeats })}
          />
        </>
      )}
      <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 8 }} data-testid="admin-savebar">
        <span className="muted" data-testid="admin-dirty">
          {dirty ? t("admin.save.dirty") : t("admin.save.clean")}
        </span>
        <label>
          {t("admin.save.note")}
          <input data-testid="admin-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        {base.home === "server" && (
          <label>
            {t("admin.save.from")}{" "}
            <input
              type="datetime-local"
              data-testid="admin-effective"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
            <span className="muted" style={{ fontSize: 12, display: "block" }}>
              {t("admin.save.from_hint")}
            </span>
          </label>
        )}
        <div style={{ display: "flex", gap: 8 }}>
          <button type="button" className="primary" data-testid="admin-save" disabled={!dirty || busy} onClick={save}>
            {busy ? t("admin.save.working") : t("admin.save")}
          </button>
          <button type="button" data-testid="admin-discard" disabled={!dirty || busy} onClick={() => setDraft(start)}>
            {t("admin.save.discard")}
          </button>
        </div>
        {failure && (
          <>
            <ErrorBanner error={failure} />
            {failure.code === "config_conflict" && (
              <div>
                <button type="button" data-testid="admin-reload" onClick={reload}>
                  {t("admin.reload")}
                </button>
              </div>
            )}
          </>
        )}
        {saved && <Notice testId="admin-saved">{saved}</Notice>}
      </section>
    </div>
  );
}

/** A code and two names, with an Add button; `problem` says what is wrong. */
function AddRow({
  testId,
  label,
  placeholder,
  onAdd,
}: {
  testId: string;
  label: string;
  placeholder: string;
  onAdd: (e: CatalogEntry) => Key | null;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState("");
  const [zh, setZh] = useState("");
  const [en, setEn] = useState("");
  const [problem, setProblem] = useState<Key | null>(null);
  const add = () => {
    const p = onAdd(newEntry(code, zh, en));
    setProblem(p);
    if (!p) {
      setCode("");
      setZh("");
      setEn("");
    }
  };
  return (
    <div data-testid={testId} style={{ display: "flex", flexDirection: "column", gap: 4, marginTop: 8 }}>
      <strong style={{ fontSize: 13 }}>{label}</strong>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
        <input
          aria-label={t("admin.code")}
          placeholder={placeholder}
          data-testid={`${testId}-code`}
          value={code}
          spellCheck={false}
          onChange={(e) => setCode(e.target.value)}
        />
        <input
          aria-label={t("admin.name_zh")}
          placeholder={t("admin.name_zh")}
          data-testid={`${testId}-zh`}
          value={zh}
          onChange={(e) => setZh(e.target.value)}
        />
        <input
          aria-label={t("admin.name_en")}
          placeholder={t("admin.name_en")}
          data-testid={`${testId}-en`}
          value={en}
          onChange={(e) => setEn(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") add();
          }}
        />
        <button type="button" data-testid={`${testId}-add`} onClick={add}>
          {t("admin.add")}
        </button>
      </div>
      {problem && (
        <span className="field-error" data-testid={`${testId}-problem`}>
          {t(problem, { example: placeholder })}
        </span>
      )}
    </div>
  );
}

/** One entry's names and whether it is in use, editable in place. */
function EntryRow({
  entry,
  indent = false,
  onChange,
}: {
  entry: CatalogEntry;
  indent?: boolean;
  onChange: (e: CatalogEntry) => void;
}) {
  const { t } = useI18n();
  return (
    <tr data-testid={`admin-entry-${entry.code}`} className={entry.enabled ? "" : "muted"}>
      <td style={{ paddingLeft: indent ? 24 : undefined, fontFamily: "monospace" }}>{entry.code}</td>
      <td>
        <input
          aria-label={t("admin.name_zh")}
          value={entry.names.zh_cn}
          onChange={(e) => onChange({ ...entry, names: { ...entry.names, zh_cn: e.target.value } })}
        />
      </td>
      <td>
        <input
          aria-label={t("admin.name_en")}
          value={entry.names.en}
          onChange={(e) => onChange({ ...entry, names: { ...entry.names, en: e.target.value } })}
        />
      </td>
      <td>
        <input
          aria-label={t("admin.external_code")}
          value={entry.external_code ?? ""}
          style={{ width: 110 }}
          onChange={(e) => {
            const code = e.target.value;
            const next = { ...entry };
            if (code.trim() === "") delete next.external_code;
            else next.external_code = code;
            onChange(next);
          }}
        />
      </td>
      <td>
        <input
          type="checkbox"
          aria-label={t("admin.enabled")}
          data-testid={`admin-enabled-${entry.code}`}
          checked={entry.enabled}
          onChange={(e) => onChange({ ...entry, enabled: e.target.checked })}
        />
      </td>
    </tr>
  );
}

function EntryTable({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  return (
    <table className="table">
      <thead>
        <tr>
          <th>{t("admin.code")}</th>
          <th>{t("admin.name_zh")}</th>
          <th>{t("admin.name_en")}</th>
          <th>{t("admin.external_code")}</th>
          <th>{t("admin.enabled")}</th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Which calendar's working time reminders wait for (none: never wait). */
function QuietHours({
  policy,
  calendars,
  onChange,
}: {
  policy: Draft["notifications"];
  calendars: string[];
  onChange: (p: Draft["notifications"]) => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel" data-testid="admin-quiet-hours" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
      <h2 style={{ margin: 0 }}>{t("admin.quiet.title")}</h2>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.quiet.hint")}
      </p>
      <label>
        {t("admin.quiet.calendar")}{" "}
        <select
          data-testid="admin-quiet-calendar"
          value={policy.quiet_calendar ?? ""}
          onChange={(e) => {
            const next = { ...policy };
            if (e.target.value === "") delete next.quiet_calendar;
            else next.quiet_calendar = e.target.value;
            onChange(next);
          }}
        >
          <option value="">{t("admin.quiet.none")}</option>
          {calendars
            .filter((c) => c !== "24x7")
            .map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
        </select>
      </label>
    </section>
  );
}

/**
 * A catalog of one of the console's enumerations (channels, remedy types,
 * invalid reasons): without entries the console names every code and offers
 * them all; with entries the site names them, may add an external code, and
 * takes codes out of use for new work.
 */
function EnumCatalog<C extends string>({
  list,
  title,
  codes,
  label,
  catalogs,
  onChange,
}: {
  list: EnumCatalogName;
  title: string;
  codes: readonly C[];
  label: (c: C) => Key;
  catalogs: Draft["catalogs"];
  onChange: (c: Draft["catalogs"]) => void;
}) {
  const { t } = useI18n();
  const entries = catalogs[list] ?? [];
  const set = (next: CatalogEntry[]) => onChange({ ...catalogs, [list]: next });
  return (
    <section className="panel" data-testid={`admin-enum-${list}`}>
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      {entries.length === 0 ? (
        <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
          <span className="muted">{t("admin.enum.console")}</span>
          <button
            type="button"
            data-testid={`admin-enum-${list}-name`}
            onClick={() =>
              set(codes.map((c) => newEntry(c, translate("zh-CN", label(c)), translate("en", label(c)))))
            }
          >
            {t("admin.enum.name_them")}
          </button>
        </div>
      ) : (
        <>
          <EntryTable>
            {entries.map((e) => (
              <EntryRow
                key={e.code}
                entry={e}
                onChange={(next) => set(entries.map((x) => (x.code === e.code ? next : x)))}
              />
            ))}
          </EntryTable>
          <button type="button" data-testid={`admin-enum-${list}-reset`} onClick={() => set([])}>
            {t("admin.enum.reset")}
          </button>
        </>
      )}
    </section>
  );
}

function CatalogsEditor({
  catalogs,
  calendars,
  onChange,
}: {
  catalogs: Draft["catalogs"];
  calendars: string[];
  onChange: (c: Draft["catalogs"]) => void;
}) {
  const { t, lang } = useI18n();
  const [user, setUser] = useState("");
  const [name, setName] = useState("");
  const [personProblem, setPersonProblem] = useState(false);
  const addPerson = () => {
    const u = user.trim();
    if (u === "" || /\s/.test(u) || name.trim() === "" || catalogs.people.some((p) => p.user === u)) {
      setPersonProblem(true);
      return;
    }
    setPersonProblem(false);
    onChange({ ...catalogs, people: [...catalogs.people, { user: u, name: name.trim() }] });
    setUser("");
    setName("");
  };
  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.disabled_hint")}
      </p>
      <section className="panel" data-testid="admin-departments">
        <h2 style={{ marginTop: 0 }}>{t("admin.departments")}</h2>
        {catalogs.departments.length === 0 ? (
          <p className="muted">{t("admin.departments.empty")}</p>
        ) : (
          <EntryTable>
            {catalogs.departments.map((d) => (
              <EntryRow
                key={d.code}
                entry={d}
                onChange={(e) => onChange(updateEntry(catalogs, "department", d.code, () => e))}
              />
            ))}
          </EntryTable>
        )}
        <AddRow
          testId="admin-add-department"
          label={t("admin.add")}
          placeholder="billing"
          onAdd={(e) => {
            const p = entryProblem(catalogs, "department", e);
            if (!p) onChange(addDepartment(catalogs, e));
            return p;
          }}
        />
      </section>
      <section className="panel" data-testid="admin-categories">
        <h2 style={{ marginTop: 0 }}>{t("admin.categories")}</h2>
        {catalogs.categories.length === 0 ? (
          <p className="muted">{t("admin.categories.empty")}</p>
        ) : (
          catalogs.categories.map((g) => (
            <div key={g.code} data-testid={`admin-group-${g.code}`} style={{ marginBottom: 12 }}>
              <EntryTable>
                <EntryRow entry={g} onChange={(e) => onChange(updateEntry(catalogs, "category", g.code, () => e))} />
                {g.categories.map((c) => (
                  <EntryRow
                    key={c.code}
                    entry={c}
                    indent
                    onChange={(e) => onChange(updateEntry(catalogs, "category", c.code, () => e))}
                  />
                ))}
              </EntryTable>
              <AddRow
                testId={`admin-add-category-${g.code}`}
                label={t("admin.categories.add_child", { group: lang === "zh-CN" ? g.names.zh_cn : g.names.en })}
                placeholder={`${g.code}.example`}
                onAdd={(e) => {
                  const p = entryProblem(catalogs, "category", e, g.code);
                  if (!p) onChange(addCategory(catalogs, g.code, e));
                  return p;
                }}
              />
            </div>
          ))
        )}
        <AddRow
          testId="admin-add-group"
          label={t("admin.categories.add_group")}
          placeholder="broadband"
          onAdd={(e) => {
            const p = entryProblem(catalogs, "category", e);
            if (!p) onChange(addGroup(catalogs, e));
            return p;
          }}
        />
      </section>
      <EnumCatalog
        list="channels"
        title={t("admin.enum.channels")}
        codes={CHANNELS}
        label={(c) => `channel.${c}` as Key}
        catalogs={catalogs}
        onChange={onChange}
      />
      <EnumCatalog
        list="remedy_kinds"
        title={t("admin.enum.remedy_kinds")}
        codes={REMEDY_KINDS}
        label={(c) => `remedy.${c}` as Key}
        catalogs={catalogs}
        onChange={onChange}
      />
      <EnumCatalog
        list="invalid_reasons"
        title={t("admin.enum.invalid_reasons")}
        codes={INVALID_REASONS}
        label={(c) => `invalid.${c}` as Key}
        catalogs={catalogs}
        onChange={onChange}
      />
      <section className="panel" data-testid="admin-people">
        <h2 style={{ marginTop: 0 }}>{t("admin.people")}</h2>
        {catalogs.people.length === 0 ? (
          <p className="muted">{t("admin.people.empty")}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{t("admin.people.user")}</th>
                <th>{t("admin.people.name")}</th>
                <th>{t("admin.quiet.person")}</th>
              </tr>
            </thead>
            <tbody>
              {catalogs.people.map((p) => (
                <tr key={p.user} data-testid={`admin-person-${p.user}`}>
                  <td style={{ fontFamily: "monospace" }}>{p.user}</td>
                  <td>
                    <input
                      aria-label={t("admin.people.name")}
                      value={p.name}
                      onChange={(e) =>
                        onChange({
                          ...catalogs,
                          people: catalogs.people.map((q) => (q.user === p.user ? { ...q, name: e.target.value } : q)),
                        })
                      }
                    />
                  </td>
                  <td>
                    <select
                      aria-label={t("admin.quiet.person")}
                      data-testid={`admin-person-${p.user}-calendar`}
                      value={p.calendar ?? ""}
                      onChange={(e) => {
                        const v = e.target.value;
                        onChange({
                          ...catalogs,
                          people: catalogs.people.map((q) => {
                            if (q.user !== p.user) return q;
                            const next = { ...q };
                            if (v === "") delete next.calendar;
                            else next.calendar = v;
                            return next;
                          }),
                        });
                      }}
                    >
                      <option value="">{t("admin.quiet.site")}</option>
                      {calendars
                        .filter((c) => c !== "24x7")
                        .map((c) => (
                          <option key={c} value={c}>
                            {c}
                          </option>
                        ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div style={{ display: "flex", gap: 6, marginTop: 8 }}>
          <input
            aria-label={t("admin.people.user")}
            placeholder={t("admin.people.user")}
            data-testid="admin-add-person-user"
            value={user}
            spellCheck={false}
            onChange={(e) => setUser(e.target.value)}
          />
          <input
            aria-label={t("admin.people.name")}
            placeholder={t("admin.people.name")}
            data-testid="admin-add-person-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="button" data-testid="admin-add-person-add" onClick={addPerson}>
            {t("admin.add")}
          </button>
        </div>
        {personProblem && <span className="field-error">{t("admin.error.user")}</span>}
      </section>
    </>
  );
}

function SlaEditor({
  policies,
  calendars,
  onChange,
}: {
  policies: SlaPolicy[];
  calendars: string[];
  onChange: (p: SlaPolicy[]) => void;
}) {
  const { t } = useI18n();
  const [name, setName] = useState("");
  const [nameProblem, setNameProblem] = useState(false);
  const [removing, setRemoving] = useState<number>();
  // Typed hours stay text until they parse; keyed by policy and clock.
  const [typed, setTyped] = useState<Record<string, string>>({});
  const update = (i: number, p: SlaPolicy) => onChange(policies.map((q, j) => (j === i ? p : q)));

  return (
    <>
      <p className="muted" style={{ margin: 0 }}>
        {t("admin.sla.hint")}
      </p>
      {policies.length === 0 && (
        <div className="panel">
          <p className="muted" style={{ margin: 0 }}>
            {t("admin.sla.empty")}
          </p>
        </div>
      )}
      {policies.map((p, i) => (
        <section key={`${i}-${p.name}`} className="panel" data-testid={`admin-policy-${i}`}>
          <div style={{ display: "flex", justifyContent: "space-between", alignItems: "baseline" }}>
            <h2 style={{ margin: 0 }}>{p.name}</h2>
            <button type="button" data-testid={`admin-policy-${i}-remove`} onClick={() => setRemoving(i)}>
              {t("admin.sla.remove")}
            </button>
          </div>
          <p className="muted" style={{ marginBottom: 0 }}>
            {t("admin.sla.when")}: {appliesToAll(p) ? t("admin.sla.when.all") : t("admin.sla.when.some")}
          </p>
          <PolicyMatchEditor policy={p} index={i} onChange={(next) => update(i, next)} />
          <div style={{ display: "grid", gridTemplateColumns: "auto 120px 160px", gap: "6px 10px", alignItems: "center" }}>
            {POLICY_CLOCKS.map((clock) => {
              const key = `${i}.${clock}`;
              const target = p[clock];
              const text = typed[key] ?? hoursText(target);
              const bad = parseHours(text) === undefined;
              return (
                <div key={clock} style={{ display: "contents" }}>
                  <label htmlFor={`admin-policy-${i}-${clock}`}>
                    {t("admin.sla.hours", { clock: t(CLOCK_LABEL[clock]) })}
                  </label>
                  <input
                    id={`admin-policy-${i}-${clock}`}
                    data-testid={`admin-policy-${i}-${clock}`}
                    inputMode="decimal"
                    value={text}
                    aria-invalid={bad || undefined}
                    onChange={(e) => {
                      const v = e.target.value;
                      setTyped({ ...typed, [key]: v });
                      const seconds = parseHours(v);
                      if (seconds !== undefined) update(i, setTarget(p, clock, seconds, target?.calendar ?? "24x7"));
                    }}
                  />
                  <select
                    aria-label={t("admin.sla.calendar")}
                    data-testid={`admin-policy-${i}-${clock}-calendar`}
                    value={target?.calendar ?? "24x7"}
                    disabled={!target}
                    onChange={(e) => target && update(i, setTarget(p, clock, target.seconds, e.target.value))}
                  >
                    {calendars.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </div>
              );
            })}
          </div>
          {POLICY_CLOCKS.some((c) => parseHours(typed[`${i}.${c}`] ?? "") === undefined) && (
            <span className="field-error">{t("admin.sla.error.hours")}</span>
          )}
        </section>
      ))}
      <section className="panel" data-testid="admin-add-policy">
        <div style={{ display: "flex", gap: 6 }}>
          <input
            aria-label={t("admin.sla.add_name")}
            placeholder={t("admin.sla.add_name")}
            data-testid="admin-add-policy-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button
            type="button"
            data-testid="admin-add-policy-add"
            onClick={() => {
              if (name.trim() === "") {
                setNameProblem(true);
                return;
              }
              setNameProblem(false);
              onChange([...policies, newPolicy(name)]);
              setName("");
            }}
          >
            {t("admin.sla.add")}
          </button>
        </div>
        {nameProblem && <span className="field-error">{t("admin.sla.error.name")}</span>}
      </section>
      {removing !== undefined && policies[removing] && (
        <Dialog
          title={t("admin.sla.remove")}
          danger
          confirmLabel={t("admin.sla.remove")}
          testId="admin-remove-dialog"
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            onChange(policies.filter((_, j) => j !== removing));
            setTyped({});
            setRemoving(undefined);
          }}
        >
          <p>{t("admin.sla.remove.confirm", { name: policies[removing].name })}</p>
        </Dialog>
      )}
    </>
  );
}

function Versions({ base }: { base: AdminConfig }) {
  const { t, lang } = useI18n();
  const { catalogs } = useShell();
  const versions = useLoad(() => api.adminVersions(), [base.version], settingsChanged);
  const [diff, setDiff] = useState<{ from: number; to: number; lines: DiffLine[] }>();
  const [failure, setFailure] = useState<AppError>();
  if (base.home === "local") {
    return (
      <div className="panel" data-testid="admin-versions-local">
        <p className="muted" style={{ margin: 0 }}>
          {t("admin.versions.local")}
        </p>
      </div>
    );
  }
  const compare = (to: number) => {
    setFailure(undefined);
    api
      .adminDiff(to - 1, to)
      .then((lines) => setDiff({ from: to - 1, to, lines }))
      .catch((e: unknown) => setFailure(toAppError(e)));
  };
  return (
    <>
      {versions.error && <ErrorBanner error={versions.error} onRetry={versions.reload} />}
      <ListBody loading={versions.loading} list={versions.data} empty={<EmptyState title={t("admin.versions.empty")} />}>
        <table className="table panel" data-testid="admin-versions">
          <thead>
            <tr>
              <th>{t("admin.versions.version")}</th>
              <th>{t("admin.versions.author")}</th>
              <th>{t("admin.versions.created")}</th>
              <th>{t("admin.versions.effective")}</th>
              <th>{t("admin.versions.note")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.data?.map((v) => (
              <tr key={v.version} data-testid={`admin-version-${v.version}`}>
                <td>
                  {v.version}
                  {v.in_force && <span className="tag" style={{ marginLeft: 6 }}>{t("admin.versions.in_force")}</span>}
                </td>
                <td>{authorName(t, catalogs, v.author)}</td>
                <td>{formatDateTime(v.created_at, lang)}</td>
                <td>{formatDateTime(v.effective_from, lang)}</td>
                <td>{v.note}</td>
                <td>
                  {v.version > 1 && (
                    <button type="button" data-testid={`admin-compare-${v.version}`} onClick={() => compare(v.version)}>
                      {t("admin.versions.compare")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
      {failure && <ErrorBanner error={failure} />}
      {diff && (
        <section className="panel" data-testid="admin-diff">
          <h2 style={{ marginTop: 0 }}>{t("admin.versions.diff", { from: diff.from, to: diff.to })}</h2>
          {diff.lines.every((l) => l.change === "same") ? (
            <p className="muted">{t("admin.versions.no_diff")}</p>
          ) : (
            <pre style={{ margin: 0, fontSize: 12, overflowX: "auto" }}>
              {diff.lines.map((l, i) => (
                <div
                  key={i}
                  data-change={l.change}
                  style={{
                    background: l.change === "added" ? "#e6f4ea" : l.change === "removed" ? "#fdecea" : undefined,
                  }}
                >
                  {l.change === "added" ? "+ " : l.change === "removed" ? "- " : "  "}
                  {l.text}
                </div>
              ))}
            </pre>
          )}
        </section>
      )}
    </>
  );
}

/** Who made a change: a person by display name, or the server's own. */
function authorName(t: ReturnType<typeof useI18n>["t"], catalogs: Catalogs, user: string): string {
  if (user === "server-admin") return t("admin.actor.server_admin");
  if (user === "rules-file") return t("admin.actor.rules_file");
  return personName(catalogs, user);
}

function parsed(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What an audit entry changed, in words where the action is known. */
function changeText(t: ReturnType<typeof useI18n>["t"], lang: Lang, e: AuditLine): string {
  const before = parsed(e.before);
  const after = parsed(e.after);
  if (e.action === "config.put" && typeof after.version === "number") {
    const parts = [
      typeof before.version === "number"
        ? t("admin.audit.versions", { from: before.version, to: after.version })
        : t("admin.audit.first_version", { v: after.version }),
    ];
    if (typeof after.effective_from === "string" && after.effective_from > e.at) {
      parts.push(t("admin.audit.effective", { at: formatDateTime(after.effective_from, lang) }));
    }
    if (typeof after.note === "string" && after.note !== "") parts.push(after.note);
    return parts.join(" · ");
  }
  if ((e.action === "user.add" || e.action === "user.update") && typeof after.role === "string") {
    const role = t("admin.audit.role", { role: t(`role.${after.role as Role}`) });
    if (e.action === "user.add") return role;
    const parts = [];
    if (before.role !== after.role) parts.push(role);
    if (before.approval_limit_minor !== after.approval_limit_minor) {
      parts.push(
        t("admin.audit.limit", {
          amount: typeof after.approval_limit_minor === "number" ? amountText(after.approval_limit_minor) : "—",
        }),
      );
    }
    if (before.disabled !== after.disabled) {
      parts.push(after.disabled ? t("admin.people.disabled") : t("admin.people.active"));
    }
    return parts.join(" · ");
  }
  if (e.action === "session.revoke" && typeof after.revoked === "number") {
    return t("admin.audit.revoked", { n: after.revoked });
  }
  if (e.action.startsWith("user.")) return "";
  return `${e.before} → ${e.after}`;
}

const ACTION_LABEL: Record<string, Key> = {
  "config.put": "admin.action.config.put",
  "user.add": "admin.action.user.add",
  "user.disable": "admin.action.user.disable",
  "user.enable": "admin.action.user.enable",
  "user.password": "admin.action.user.password",
  "user.update": "admin.action.user.update",
  "session.revoke": "admin.action.session.revoke",
};

/** An audit entry's action in words, or its code when it is not known here. */
function actionText(t: ReturnType<typeof useI18n>["t"], action: string): string {
  const key = ACTION_LABEL[action];
  return key ? t(key) : action;
}

function Audit({ base }: { base: AdminConfig }) {
  const { t, lang } = useI18n();
  const { catalogs } = useShell();
  const audit = useLoad(() => api.adminAudit(), [base.version], settingsChanged);
  const [filter, setFilter] = useState("");
  const [exported, setExported] = useState<string>();
  const [failure, setFailure] = useState<AppError>();
  if (base.home === "local") {
    return (
      <div className="panel">
        <p className="muted" style={{ margin: 0 }}>
          {t("admin.audit.local")}
        </p>
      </div>
    );
  }
  const who = (user: string) => authorName(t, catalogs, user);
  const needle = filter.trim().toLowerCase();
  const shown = (audit.data ?? []).filter((e: AuditLine) =>
    needle === ""
      ? true
      : [e.actor, who(e.actor), e.action, actionText(t, e.action), e.subject].some((s) =>
          s.toLowerCase().includes(needle),
        ),
  );
  return (
    <>
      <div style={{ display: "flex", gap: 8, marginBottom: 8, alignItems: "center" }}>
        <input
          data-search
          data-testid="admin-audit-filter"
          placeholder={t("admin.audit.filter")}
          aria-label={t("admin.audit.filter")}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          style={{ flex: 1 }}
        />
        <span className="muted" data-testid="admin-audit-count">
          {t("admin.audit.count", { n: shown.length })}
        </span>
        <button
          type="button"
          data-testid="admin-audit-export"
          onClick={() => {
            setFailure(undefined);
            api
              .adminAuditExport()
              .then(setExported)
              .catch((e: unknown) => setFailure(toAppError(e)));
          }}
        >
          {t("admin.audit.export")}
        </button>
      </div>
      {exported && <Notice testId="admin-audit-exported">{t("admin.audit.exported", { path: exported })}</Notice>}
      {failure && <ErrorBanner error={failure} />}
      {audit.error && <ErrorBanner error={audit.error} onRetry={audit.reload} />}
      <ListBody loading={audit.loading} list={audit.data} empty={<EmptyState title={t("admin.audit.empty")} />}>
        <table className="table panel" data-testid="admin-audit">
          <thead>
            <tr>
              <th>{t("admin.audit.at")}</th>
              <th>{t("admin.audit.actor")}</th>
              <th>{t("admin.audit.action")}</th>
              <th>{t("admin.audit.subject")}</th>
              <th>{t("admin.audit.change")}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.seq} data-testid={`admin-audit-${e.seq}`} data-action={e.action}>
                <td style={{ whiteSpace: "nowrap" }}>{formatDateTime(e.at, lang)}</td>
                <td style={{ whiteSpace: "nowrap" }} data-testid={`admin-audit-${e.seq}-actor`}>
                  {who(e.actor)}
                </td>
                <td style={{ whiteSpace: "nowrap" }}>{actionText(t, e.action)}</td>
                <td style={{ whiteSpace: "nowrap" }}>
                  {e.subject === "config" ? t("admin.title") : personName(catalogs, e.subject)}
                </td>
                <td data-testid={`admin-audit-${e.seq}-change`}>{changeText(t, lang, e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListBody>
    </>
  );
}

function Transfer({ base, reload }: { base: AdminConfig; reload: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<AppError>();
  const [done, setDone] = useState<string>();
  const [copied, setCopied] = useState(false);
  useEffect(() => setCopied(false), [base.toml]);
  const doImport = () => {
    setBusy(true);
    setFailure(undefined);
    setDone(undefined);
    api
      .adminImport(text, base.version, "")
      .then((v) => {
        setDone(v === null ? t("admin.save.done_local") : t("admin.save.done_version", { v }));
        setText("");
        reload();
      })
      .catch((e: unknown) => setFailure(toAppError(e)))
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
      <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
        <h2 style={{ margin: 0 }}>{t("admin.transfer.export")}</h2>
        <textarea readOnly rows={12} data-testid="admin-export" value={base.toml} style={{ fontFamily: "monospace" }} />
        <div>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(base.toml).then(() => setCopied(true));
            }}
          >
            {t("admin.transfer.copy")}
          </button>
          {copied && <span className="muted" style={{ marginLeft: 8 }}>{t("admin.transfer.copied")}</span>}
        </div>
      </section>
      <section className="panel" style={{ display: "flex", flexDirection: "column", gap: 6 }}>
        <h2 style={{ margin: 0 }}>{t("admin.transfer.import")}</h2>
        <p className="muted" style={{ margin: 0 }}>
          {t("admin.transfer.import_hint")}
        </p>
        <textarea
          rows={10}
          data-testid="admin-import"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          style={{ fontFamily: "monospace" }}
        />
        <div>
          <button
            type="button"
            className="primary"
            data-testid="admin-import-button"
            disabled={text.trim() === "" || busy}
            onClick={() => setConfirming(true)}
          >
            {t("admin.transfer.import_button")}
          </button>
        </div>
        {failure && <ErrorBanner error={failure} />}
        {done && <Notice testId="admin-imported">{done}</Notice>}
      </section>
      {confirming && (
        <Dialog
          title={t("admin.transfer.import")}
          danger
          busy={busy}
          confirmLabel={t("admin.transfer.import_button")}
          onCancel={() => setConfirming(false)}
          onConfirm={doImport}
        >
          <p>{t("admin.transfer.import_confirm")}</p>
        </Dialog>
      )}
    </div>
  );
}
