// The reminder inbox. "Needs me" lists the reminders whose cause still needs
// somebody, grouped by complaint (each group and row opens its complaint),
// with filters (kind, team = the department handling it, mine), selection
// and bulk acknowledge / snooze. "Cleared" lists the
// reminders that resolved on their own (Rust decides when: the update was
// posted, the approval decided, the callback recorded, a later reminder
// replaced it). Texts come rendered from Rust in the current language.
import { useNames } from "../lib/names";
import { useMemo, useState, type KeyboardEvent, type MouseEvent } from "react";
import type { AppError } from "../bindings/AppError";
import type { ReminderItem } from "../bindings/ReminderItem";
import type { ReminderKind } from "../bindings/ReminderKind";
import { Tabs } from "../components/Bits";
import { Countdown } from "../components/Countdown";
import { EmptyState, ErrorBanner, ListBody, ScreenTitle } from "../components/Status";
import { TableHead } from "../components/TableHead";
import { useI18n } from "../i18n";
import { api, toAppError } from "../lib/api";
import { remindersChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import { formatDateTime, useNow } from "../lib/time";
import { useLoad } from "../lib/useLoad";

const INBOX_LIMIT = 500;
/** The snooze choices offered on each reminder, in minutes. */
const SNOOZE_MINUTES = [10, 30] as const;
const KINDS: readonly ReminderKind[] = ["sla_breach", "sla_warning", "progress_due", "approval_waiting", "callback_due"];

type Tab = "open" | "history";

export interface ReminderGroup {
  complaintId: string;
  number: string;
  customer: string;
  items: ReminderItem[];
}

/** Groups reminders by complaint, keeping the order of each group's newest reminder. */
export function groupByComplaint(items: readonly ReminderItem[]): ReminderGroup[] {
  const groups = new Map<string, ReminderGroup>();
  for (const r of items) {
    let g = groups.get(r.complaint_id);
    if (!g) {
      g = { complaintId: r.complaint_id, number: r.number, customer: r.customer_name, items: [] };
      groups.set(r.complaint_id, g);
    }
    g.items.push(r);
  }
  return [...groups.values()];
}

export function Reminders() {
  const { t } = useI18n();
  const names = useNames();
  const { go, settings } = useShell();
  const [tab, setTab] = useState<Tab>("open");
  const { data, error, loading, reload } = useLoad(
    () => (tab === "open" ? api.reminders(INBOX_LIMIT) : api.reminderHistory(INBOX_LIMIT)),
    [tab],
    remindersChanged,
  );
  const [unackedOnly, setUnackedOnly] = useState(true);
  const [kind, setKind] = useState<ReminderKind | "">("");
  const [mine, setMine] = useState(false);
  const [team, setTeam] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [working, setWorking] = useState(false);
  const [failure, setFailure] = useState<AppError>();

  const all = useMemo(() => data ?? [], [data]);
  const unacked = tab === "open" ? all.filter((r) => r.acked_at === null) : [];
  const shown = all.filter(
    (r) =>
      (tab === "history" || !unackedOnly || r.acked_at === null) &&
      (kind === "" || r.kind === kind) &&
      (!mine || r.owner === settings.user) &&
      (team === "" || r.department === team),
  );
  const teams = [...new Set(all.flatMap((r) => (r.department ? [r.department] : [])))].sort();
  const groups = groupByComplaint(shown);
  const chosen = shown.filter((r) => selected.has(r.key)).map((r) => r.key);

  const run = async (keys: string[], call: (keys: string[]) => Promise<unknown>) => {
    if (keys.length === 0) return;
    setFailure(undefined);
    setWorking(true);
    try {
      await call(keys);
      setSelected(new Set());
      reload();
    } catch (err) {
      setFailure(toAppError(err));
    } finally {
      setWorking(false);
    }
  };
  const act = (e: MouseEvent, keys: string[], call: (keys: string[]) => Promise<unknown>) => {
    // The row opens the complaint; a button inside it must not.
    e.stopPropagation();
    void run(keys, call);
  };
  const toggle = (key: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  const open = (complaintId: string) => go({ screen: "complaint", id: complaintId });
  const onKey = (e: KeyboardEvent, complaintId: string) => {
    if (e.key === "Enter" && e.target === e.currentTarget) {
      e.preventDefault();
      open(complaintId);
    }
  };

  const empty =
    tab === "history" ? (
      <EmptyState title={t("reminders.empty_history")} hint={t("reminders.empty_history_hint")} />
    ) : unackedOnly && all.length > 0 ? (
      <EmptyState title={t("reminders.empty_unacked")} hint={t("reminders.empty_unacked_hint")} />
    ) : (
      <EmptyState title={t("reminders.empty")} hint={t("reminders.empty_hint")} />
    );

  return (
    <div>
      <ScreenTitle
        title={t("reminders.title")}
        count={unacked.length > 0 ? t("reminders.count", { n: unacked.length }) : undefined}
        countTestId="unacked-count"
      />

      <Tabs
        tabs={["open", "history"] as const}
        current={tab}
        label={(k) => t(`reminders.tab.${k}`)}
        onChoose={(k) => {
          setTab(k);
          setSelected(new Set());
        }}
      />

      <div style={{ marginBottom: 10, display: "flex", flexWrap: "wrap", gap: 14, alignItems: "center" }}>
        {tab === "open" && (
          <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
            <input
              type="checkbox"
              data-testid="unacked-only"
              checked={unackedOnly}
              onChange={(e) => setUnackedOnly(e.target.checked)}
            />
            {t("reminders.unacked_only")}
          </label>
        )}
        <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          {t("reminders.filter.kind")}
          <select data-testid="filter-kind" value={kind} onChange={(e) => setKind(e.target.value as ReminderKind | "")}>
            <option value="">{t("reminders.filter.all_kinds")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`reminder.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          {t("reminders.filter.team")}
          <select data-testid="filter-team" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{t("reminders.filter.all_teams")}</option>
            {teams.map((d) => (
              <option key={d} value={d}>
                {names.department(d)}
              </option>
            ))}
          </select>
        </label>
        <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
          <input type="checkbox" data-testid="filter-mine" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          {t("reminders.filter.mine")}
        </label>
        {tab === "open" && shown.length > 0 && (
          <span style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
            <label style={{ display: "inline-flex", alignItems: "center", gap: 6 }}>
              <input
                type="checkbox"
                data-testid="select-all"
                checked={chosen.length > 0 && chosen.length === shown.length}
                onChange={(e) => setSelected(new Set(e.target.checked ? shown.map((r) => r.key) : []))}
              />
              {t("reminders.select_all")}
            </label>
            {chosen.length > 0 && (
              <>
                <span className="muted" data-testid="selected-count">
                  {t("reminders.selected", { n: chosen.length })}
                </span>
                <button
                  type="button"
                  className="primary"
                  data-testid="bulk-ack"
                  disabled={working}
                  onClick={() => void run(chosen, api.ackReminders)}
                >
                  {t("reminders.ack_selected")}
                </button>
                <button
                  type="button"
                  data-testid="bulk-snooze"
                  disabled={working}
                  onClick={() => void run(chosen, (keys) => api.snoozeReminders(keys, 30))}
                >
                  {t("reminders.snooze_selected_30")}
                </button>
              </>
            )}
          </span>
        )}
      </div>

      {failure && <ErrorBanner error={failure} />}
      {error && <ErrorBanner error={error} onRetry={reload} />}

      <ListBody loading={loading} list={data && shown} empty={empty}>
        <table className="table" data-testid="reminders-table">
          <TableHead
            columns={[
              "reminders.select",
              "reminders.col.kind",
              "reminders.col.reminder",
              tab === "open" ? "reminders.col.fired" : "reminders.col.cleared",
              "reminders.col.due",
              "reminders.col.status",
              "reminders.col.actions",
            ]}
          />
          {groups.map((g) => (
            <tbody key={g.complaintId} data-testid="reminder-group" data-complaint={g.complaintId}>
              <tr
                className="group-row"
                tabIndex={0}
                title={t("reminders.open")}
                style={{ cursor: "pointer", background: "var(--bg-subtle, #f4f6f8)" }}
                onClick={() => open(g.complaintId)}
                onKeyDown={(e) => onKey(e, g.complaintId)}
              >
                <td colSpan={7}>
                  <strong>{t("reminders.group", { number: g.number, customer: g.customer })}</strong>
                </td>
              </tr>
              {g.items.map((row) => (
                <Row
                  key={row.key}
                  row={row}
                  history={tab === "history"}
                  checked={selected.has(row.key)}
                  busy={working}
                  onToggle={() => toggle(row.key)}
                  onOpen={() => open(row.complaint_id)}
                  onKey={(e) => onKey(e, row.complaint_id)}
                  onAck={(e) => act(e, [row.key], api.ackReminders)}
                  onSnooze={(e, m) => act(e, [row.key], (keys) => api.snoozeReminders(keys, m))}
                />
              ))}
            </tbody>
          ))}
        </table>
      </ListBody>
    </div>
  );
}

function Row({
  row,
  history,
  checked,
  busy,
  onToggle,
  onOpen,
  onKey,
  onAck,
  onSnooze,
}: {
  row: ReminderItem;
  history: boolean;
  checked: boolean;
  busy: boolean;
  onToggle: () => void;
  onOpen: () => void;
  onKey: (e: KeyboardEvent) => void;
  onAck: (e: MouseEvent) => void;
  onSnooze: (e: MouseEvent, minutes: number) => void;
}) {
  const { t, lang } = useI18n();
  const acked = row.acked_at !== null;
  return (
    <tr
      data-testid="reminder-row"
      data-kind={row.kind}
      data-acked={acked}
      data-resolution={row.resolution ?? ""}
      tabIndex={0}
      title={t("reminders.open")}
      style={{ cursor: "pointer", opacity: acked || history ? 0.7 : 1 }}
      onClick={onOpen}
      onKeyDown={onKey}
    >
      <td onClick={(e) => e.stopPropagation()}>
        {!history && (
          <input
            type="checkbox"
            aria-label={t("reminders.select")}
            data-testid="reminder-select"
            checked={checked}
            onChange={onToggle}
          />
        )}
      </td>
      <td>
        <span className={`tag${row.kind === "sla_breach" ? " bad" : row.kind === "sla_warning" ? " warn" : ""}`}>
          {t(`reminder.${row.kind}`)}
        </span>
      </td>
      <td>
        <strong>{row.title}</strong>
        {row.body && <div className="muted">{row.body}</div>}
      </td>
      <td className="muted" style={{ whiteSpace: "nowrap" }}>
        {formatDateTime(history ? row.resolved_at : row.fired_at, lang)}
      </td>
      <td style={{ whiteSpace: "nowrap" }}>
        <div>{formatDateTime(row.due_at, lang)}</div>
        {!acked && !history && <Countdown due={row.due_at} />}
      </td>
      <td>
        <ReminderStatus row={row} />
      </td>
      <td>
        {!acked && !history && (
          <div className="row-actions">
            <button type="button" className="primary" data-testid="ack-btn" disabled={busy} onClick={onAck}>
              {t("reminders.ack")}
            </button>
            {SNOOZE_MINUTES.map((m) => (
              <button
                key={m}
                type="button"
                data-testid={`snooze-${m}`}
                disabled={busy}
                onClick={(e) => onSnooze(e, m)}
              >
                {t(`reminders.snooze_${m}`)}
              </button>
            ))}
          </div>
        )}
      </td>
    </tr>
  );
}

/** Cleared, acknowledged, snoozed (until a moment still ahead) or new. */
function ReminderStatus({ row }: { row: ReminderItem }) {
  const { t, lang } = useI18n();
  const now = useNow();
  if (row.resolution !== null) {
    return (
      <span className="muted" data-testid="reminder-status" data-status={row.resolution}>
        {t(`reminders.resolution.${row.resolution}`, { time: formatDateTime(row.resolved_at, lang) })}
      </span>
    );
  }
  if (row.acked_at !== null) {
    return (
      <span className="muted" data-testid="reminder-status" data-status="acked">
        {t("reminders.status.acked", { time: formatDateTime(row.acked_at, lang) })}
      </span>
    );
  }
  if (row.snoozed_until !== null && Date.parse(row.snoozed_until) > now) {
    return (
      <span className="tag" data-testid="reminder-status" data-status="snoozed">
        {t("reminders.status.snoozed", { time: formatDateTime(row.snoozed_until, lang) })}
      </span>
    );
  }
  return (
    <span className="tag warn" data-testid="reminder-status" data-status="new">
      {t("reminders.status.new")}
    </span>
  );
}
