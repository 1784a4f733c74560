// The dashboard: header counters, a filter bar, and every open complaint with a
// live countdown to its nearest deadline. The list is virtualised so that a
// supervisor's 5,000 open complaints scroll as smoothly as fifty.
import { useNames } from "../lib/names";
import type { ClosureOutcome } from "../bindings/ClosureOutcome";
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import type { DashboardLine } from "../bindings/DashboardLine";
import type { DashboardData } from "../lib/dashboardLines";
import type { TeamView } from "../bindings/TeamView";
import { Dialog } from "../components/Dialog";
import { SeverityTag } from "../components/Bits";
import { Countdown } from "../components/Countdown";
import { Options } from "../components/Options";
import { EmptyState, ErrorBanner, Loading, Notice } from "../components/Status";
import { VirtualList } from "../components/VirtualList";
import { errorMessage, useI18n, type T } from "../i18n";
import { api, toAppError } from "../lib/api";
import { complaintsChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import {
  isFiltered,
  KINDS,
  NO_FILTERS,
  SEVERITIES,
  severityLabel,
  STATES,
  toQuery,
  UNASSIGNED,
  type DashboardFilters,
} from "../lib/filters";
import { columnsFor, isCompact, shows, tierFor, type Column, type ColumnId, type Tier } from "../lib/dashboardLayout";
import { useWindowHeight } from "../lib/useWindowHeight";
import { DEFAULT_SORT, nextSort, sortRows, type SortKey, type SortSpec } from "../lib/sort";
import { formatDateTime, syncClock } from "../lib/time";
import { fromSaved, toSaved, upsertView } from "../lib/savedViews";
import { useLoad } from "../lib/useLoad";

/** Fixed row height of the virtualised list, in pixels. */
export const ROW_HEIGHT = 40;
const SEARCH_DEBOUNCE_MS = 200;
/** Statuses move with time even when no data changes. */
const REFRESH_MS = 30_000;

/**
 * Where the supervisor was: filters, search, sort, selection, ticked rows and
 * scroll survive opening a complaint and coming back (the screen unmounts in
 * between). One console window, one memory.
 */
interface Place {
  filters: DashboardFilters;
  searchText: string;
  sort: SortSpec;
  selectedId: string | null;
  ticked: string[];
  scrollTop: number;
}
let remembered: Place | null = null;

/** Forgets the remembered place (tests start fresh). */
export function forgetDashboardPlace(): void {
  remembered = null;
}

const rowStyle: CSSProperties = {
  display: "grid",
  alignItems: "center",
  borderBottom: "1px solid var(--line)",
  cursor: "pointer",
};
const cellStyle: CSSProperties = {
  padding: "0 8px",
  overflow: "hidden",
  textOverflow: "ellipsis",
  whiteSpace: "nowrap",
  minWidth: 0,
};
// The tick box needs its whole narrow column.
const selectCellStyle: CSSProperties = { ...cellStyle, padding: "0 4px", overflow: "visible" };
// The header sits outside the scrolling rows; reserving the scrollbar's
// width in both keeps the columns aligned.
const headGroupStyle: CSSProperties = {
  // overflow makes a flex item shrinkable to nothing; the header must not.
  flexShrink: 0,
  overflowY: "hidden",
  scrollbarGutter: "stable",
  background: "#fafbfc",
  border: "1px solid var(--line)",
  borderRadius: "8px 8px 0 0",
};
const headStyle: CSSProperties = {
  ...rowStyle,
  borderBottom: "none",
  cursor: "default",
  fontSize: 12,
  fontWeight: 600,
  color: "var(--muted)",
  minHeight: 34,
};
const headButton: CSSProperties = {
  border: "none",
  background: "transparent",
  padding: 0,
  font: "inherit",
  color: "inherit",
  fontWeight: 600,
  cursor: "pointer",
};
// Five tiles share one line at any width (the list below needs the height
// more than the tiles need the width); a long label wraps inside its tile.
const tileStyle: CSSProperties = {
  display: "flex",
  flexDirection: "column",
  alignItems: "flex-start",
  gap: 2,
  flex: "1 1 0",
  minWidth: 0,
  maxWidth: 200,
  padding: "8px 14px",
  borderRadius: 8,
  border: "1px solid var(--line)",
  background: "var(--panel)",
  textAlign: "left",
  font: "inherit",
  color: "inherit",
};
const tileNumber: CSSProperties = { fontSize: 22, fontWeight: 700, fontVariantNumeric: "tabular-nums" };
// A short window: the number beside the label, the label beside the field.
const compactTile: CSSProperties = {
  flexDirection: "row",
  alignItems: "baseline",
  justifyContent: "space-between",
  gap: 8,
  padding: "4px 10px",
};
const compactNumber: CSSProperties = { fontSize: 18 };
const filterLabel: CSSProperties = {
  display: "flex",
  flexDirection: "column",
  gap: 2,
  fontSize: 12,
  color: "var(--muted)",
};

export function Dashboard() {
  const { t, lang } = useI18n();
  const names = useNames();
  const { go } = useShell();
  const { settings } = useShell();
  const [filters, setFilters] = useState<DashboardFilters>(() => remembered?.filters ?? NO_FILTERS);
  const [searchText, setSearchText] = useState(() => remembered?.searchText ?? "");
  const [sort, setSort] = useState<SortSpec>(() => remembered?.sort ?? DEFAULT_SORT);
  const [selectedId, setSelectedId] = useState<string | null>(() => remembered?.selectedId ?? null);
  const [ticked, setTicked] = useState<Set<string>>(() => new Set(remembered?.ticked ?? []));
  const [assigning, setAssigning] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [viewName, setViewName] = useState("");
  const [viewDialog, setViewDialog] = useState<"save" | "delete" | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const [tier, setTier] = useState<Tier>("full");
  const compact = isCompact(useWindowHeight());
  const tile = compact ? { ...tileStyle, ...compactTile } : tileStyle;
  const tileNum = compact ? { ...tileNumber, ...compactNumber } : tileNumber;
  // In a short window the filters used less (department, severity, kind,
  // saved views) wait behind "More filters".
  const [moreFilters, setMoreFilters] = useState(false);
  const showAllFilters = !compact || moreFilters;
  const columns = useMemo(() => columnsFor(tier), [tier]);
  const grid = useMemo(() => columns.map((c) => c.width).join(" "), [columns]);
  // The columns follow the list's own width (window size, navigation).
  const observer = useRef<ResizeObserver | null>(null);
  const measure = useCallback((el: HTMLDivElement | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === "undefined") return;
    const update = () => setTier(tierFor(el.clientWidth));
    update();
    observer.current = new ResizeObserver(update);
    observer.current.observe(el);
  }, []);
  const restoreScroll = useRef(remembered?.scrollTop ?? 0);
  // What to remember when leaving, read once at unmount (the ticks are
  // copied then, not on every render).
  const latest = useRef({ filters, searchText, sort, selectedId, ticked });
  latest.current = { filters, searchText, sort, selectedId, ticked };
  useEffect(
    () => () => {
      const now = latest.current;
      remembered = { ...now, ticked: [...now.ticked], scrollTop: listRef.current?.scrollTop ?? 0 };
    },
    [],
  );

  // Typing in the search box asks Rust only once the user pauses.
  useEffect(() => {
    const id = setTimeout(
      () => setFilters((f) => (f.search === searchText ? f : { ...f, search: searchText })),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(id);
  }, [searchText]);

  const { data, error, loading, reload } = useLoad<DashboardData>(
    () =>
      api.dashboard(toQuery(filters, new Date().toISOString())).then((v) => {
        syncClock(v.now);
        return v;
      }),
    [filters],
    complaintsChanged,
  );

  useEffect(() => {
    const id = setInterval(reload, REFRESH_MS);
    return () => clearInterval(id);
  }, [reload]);

  // The user's saved views (filters and sort under a name).
  const views = useLoad(() => api.savedViews(), [settings.user], () => false);
  const applyView = (name: string) => {
    setViewName(name);
    const saved = views.data?.find((v) => v.name === name);
    if (!saved) return;
    const state = fromSaved(saved);
    setFilters(state.filters);
    setSearchText(state.filters.search);
    setSort(state.sort);
  };

  // Who and where: the people and departments the Rust side knows, and the
  // workload per owner.
  const team = useLoad<TeamView>(() => api.team(), [], complaintsChanged);

  const rows = useMemo(() => (data ? sortRows(data.rows, sort) : []), [data, sort]);

  // Back from a complaint: the list scrolls to where it was, once.
  useEffect(() => {
    if (restoreScroll.current > 0 && listRef.current && rows.length > 0) {
      listRef.current.scrollTop = restoreScroll.current;
      restoreScroll.current = 0;
    }
  }, [rows]);

  // Ticked rows that left the list (filtered out, closed) are no longer ticked.
  const shownTicked = useMemo(() => rows.filter((r) => ticked.has(r.id)), [rows, ticked]);
  const toggleTick = (id: string) =>
    setTicked((t) => {
      const next = new Set(t);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allTicked = rows.length > 0 && shownTicked.length === rows.length;
  const tickAll = () => setTicked(allTicked ? new Set() : new Set(rows.map((r) => r.id)));
  const selectedIndex = useMemo(
    () => (selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId)),
    [rows, selectedId],
  );

  const open = useCallback((row: DashboardLine) => go({ screen: "complaint", id: row.id }), [go]);

  const set = <K extends keyof DashboardFilters>(key: K, value: DashboardFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));

  const clearFilters = () => {
    setSearchText("");
    setFilters(NO_FILTERS);
  };

  /** The Breached and At-risk tiles filter the list; one at a time. */
  const toggleTile = (key: "breachedOnly" | "atRiskOnly") =>
    setFilters((f) => ({ ...f, breachedOnly: false, atRiskOnly: false, [key]: !f[key] }));

  const select = (index: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, index))];
    if (row) setSelectedId(row.id);
  };

  const visibleRows = Math.max(1, Math.floor((listRef.current?.clientHeight || 600) / ROW_HEIGHT) - 1);

  /** Moves the selection or opens a row; false when the key is not ours. */
  const handleKey = (key: string, target: EventTarget | null): boolean => {
    if (rows.length === 0) return false;
    const from = selectedIndex;
    switch (key) {
      case "ArrowDown":
        select(from < 0 ? 0 : from + 1);
        return true;
      case "ArrowUp":
        select(from < 0 ? 0 : from - 1);
        return true;
      case "PageDown":
        select(Math.max(0, from) + visibleRows);
        return true;
      case "PageUp":
        select(Math.max(0, from) - visibleRows);
        return true;
      case "Home":
        select(0);
        return true;
      case "End":
        select(rows.length - 1);
        return true;
      case "Enter": {
        // Enter on a row opens that row; on the list, the selected one.
        const el = target instanceof Element ? target.closest<HTMLElement>("[data-index]") : null;
        const row = el ? rows[Number(el.dataset.index)] : rows[from];
        if (!row) return false;
        open(row);
        return true;
      }
      default:
        return false;
    }
  };

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the header's sort buttons belong to the buttons.
    if (e.target instanceof Element && e.target.closest("button, input, select, textarea, a")) return;
    if (handleKey(e.key, e.target)) e.preventDefault();
  };

  // Arrow keys work on the dashboard even before the list has been focused
  // (focus on the page itself, as after switching screens).
  const handleKeyRef = useRef(handleKey);
  handleKeyRef.current = handleKey;
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      const active = document.activeElement;
      if (active && active !== document.body) return;
      if (handleKeyRef.current(e.key, null)) {
        e.preventDefault();
        gridRef.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const onSearchKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Escape" && searchText !== "") {
      e.preventDefault();
      e.stopPropagation();
      setSearchText("");
    } else if (e.key === "ArrowDown" && rows.length > 0) {
      e.preventDefault();
      if (selectedIndex < 0) select(0);
      gridRef.current?.focus();
    }
  };

  const filtered = isFiltered({ ...filters, search: searchText });
  const hiddenActive = [filters.department !== "", filters.severity !== "", filters.kind !== ""].filter(Boolean).length;
  const counts = data?.counts;

  const renderRow = (index: number, style: CSSProperties) => {
    const row = rows[index];
    if (!row) return null;
    const selected = index === selectedIndex;
    const second = (content: ReactNode) => (
      <div className="muted" style={{ fontSize: 11, lineHeight: "14px", overflow: "hidden", textOverflow: "ellipsis" }}>
        {content}
      </div>
    );
    const flags = (
      <>
        {row.repeat_ordinal !== undefined && row.repeat_ordinal > 1 && (
          <span className="tag warn">{t("dashboard.flag.repeat", { n: row.repeat_ordinal })}</span>
        )}
        {row.escalated && <span className="tag bad">{t("dashboard.flag.escalated")}</span>}
        {row.public_exposure && <span className="tag bad">{t("dashboard.flag.public")}</span>}
      </>
    );
    const hasFlags = (row.repeat_ordinal !== undefined && row.repeat_ordinal > 1) || row.escalated || row.public_exposure;
    const department = row.department ? names.department(row.department) : t("common.none");
    const cells: Record<ColumnId, ReactNode> = {
      select: (
        <input
          type="checkbox"
          data-testid="row-tick"
          aria-label={t("dashboard.tick", { number: row.number })}
          checked={ticked.has(row.id)}
          onClick={(e) => e.stopPropagation()}
          onChange={() => toggleTick(row.id)}
        />
      ),
      number: (
        <>
          <strong style={{ fontVariantNumeric: "tabular-nums" }}>{row.number}</strong>
          {row.pending && second(<span data-testid="pending">{t("common.pending_sync")}</span>)}
        </>
      ),
      due:
        row.closed_ms !== undefined ? (
          <>
            <span data-testid="closed-at" style={{ fontSize: 12 }}>
              {formatDateTime(row.closed_ms, lang)}
            </span>
            {row.closure && second(<span data-testid="closure">{closureLabel(t, row.closure)}</span>)}
          </>
        ) : (
          <>
            <Countdown due={row.due_ms} warn={row.warn_ms} />
            {row.due_kind && second(<span data-testid="due-kind">{t(`clock.${row.due_kind}`)}</span>)}
          </>
        ),
      customer: (
        <>
          <div style={{ overflow: "hidden", textOverflow: "ellipsis" }}>{row.customer_name}</div>
          {!shows(tier, "kind") && second(t(`kind.${row.kind}`))}
          {!shows(tier, "flags") && hasFlags && <div style={{ lineHeight: "14px", fontSize: 11 }}>{flags}</div>}
        </>
      ),
      kind: t(`kind.${row.kind}`),
      severity: (
        <SeverityTag level={row.severity} />
      ),
      channel: names.channel(row.channel),
      owner: (
        <>
          <div style={{ overflow: "hidden", textOverflow: "ellipsis" }}>
            {row.owner ? names.person(row.owner) : <span className="muted">{t("dashboard.unassigned")}</span>}
          </div>
          {!shows(tier, "department") && second(department)}
        </>
      ),
      department: row.department ? names.department(row.department) : <span className="muted">{t("common.none")}</span>,
      state: t(`state.${row.state}`),
      flags,
      received: (
        <span className="muted" style={{ fontSize: 12 }}>
          {formatDateTime(row.received_ms, lang)}
        </span>
      ),
    };
    /** What a cell cannot show in full goes into its tooltip. */
    const cellTitle = (id: ColumnId): string | undefined => {
      switch (id) {
        case "customer":
          return [
            row.customer_name,
            t(`kind.${row.kind}`),
            names.channel(row.channel),
            formatDateTime(row.received_ms, lang),
          ].join(" · ");
        case "owner":
          return `${row.owner ? names.person(row.owner) : t("dashboard.unassigned")} · ${department}`;
        case "due":
          return row.closed_ms !== undefined && row.closure
            ? `${formatDateTime(row.closed_ms, lang)} · ${closureLabel(t, row.closure)}`
            : undefined;
        case "department":
          return department;
        default:
          return undefined;
      }
    };
    return (
      <div
        key={row.id}
        id={`dashboard-row-${row.id}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        data-testid="dashboard-row"
        data-index={index}
        data-number={row.number}
        data-state={row.state}
        style={{
          ...rowStyle,
          gridTemplateColumns: grid,
          ...style,
          background: selected ? "#e7effb" : index % 2 ? "#fcfcfd" : "var(--panel)",
          boxShadow: selected ? "inset 3px 0 0 var(--accent)" : undefined,
        }}
        onClick={() => {
          setSelectedId(row.id);
          open(row);
        }}
      >
        {columns.map((c) => (
          <Cell key={c.id} col={c.id} title={cellTitle(c.id)}>
            {cells[c.id]}
          </Cell>
        ))}
      </div>
    );
  };

  return (
    <div style={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 0 }}>
      <h1 style={compact ? { marginBottom: 8 } : undefined}>
        {t(filters.state === "closed" ? "dashboard.title_closed" : "dashboard.title")}
      </h1>
      {notice && <Notice>{notice}</Notice>}

      <section
        aria-label={t("dashboard.counts")}
        data-compact={compact || undefined}
        style={{ display: "flex", gap: 10, flexWrap: "nowrap", marginBottom: compact ? 8 : 12 }}
      >
        <div style={tile}>
          <span className="muted">{t("dashboard.count.open")}</span>
          <span style={tileNum} data-testid="count-open">
            {counts?.open ?? "–"}
          </span>
        </div>
        <button
          type="button"
          data-testid="tile-at-risk"
          style={{
            ...tile,
            borderColor: counts && counts.at_risk > 0 ? "var(--warn)" : "var(--line)",
            background: filters.atRiskOnly ? "var(--warn-bg)" : "var(--panel)",
          }}
          aria-pressed={filters.atRiskOnly}
          title={t("dashboard.count.at_risk_hint")}
          onClick={() => toggleTile("atRiskOnly")}
        >
          <span className="muted">{t("dashboard.count.at_risk")}</span>
          <span style={{ ...tileNum, color: counts && counts.at_risk > 0 ? "var(--warn)" : undefined }} data-testid="count-at-risk">
            {counts?.at_risk ?? "–"}
          </span>
        </button>
        <button
          type="button"
          style={{
            ...tile,
            borderColor: counts && counts.breached > 0 ? "var(--bad)" : "var(--line)",
            background: filters.breachedOnly ? "var(--bad-bg)" : "var(--panel)",
          }}
          data-testid="tile-breached"
          aria-pressed={filters.breachedOnly}
          title={t("dashboard.count.breached_hint")}
          onClick={() => toggleTile("breachedOnly")}
        >
          <span className="muted">{t("dashboard.count.breached")}</span>
          <span style={{ ...tileNum, color: counts && counts.breached > 0 ? "var(--bad)" : undefined }} data-testid="count-breached">
            {counts?.breached ?? "–"}
          </span>
        </button>
        <button type="button" style={tile} title={t("dashboard.count.go_hint")} onClick={() => go({ screen: "approvals" })}>
          <span className="muted">{t("dashboard.count.approvals")}</span>
          <span style={tileNum} data-testid="count-approvals">
            {counts?.approvals_waiting ?? "–"}
          </span>
        </button>
        <button type="button" style={tile} title={t("dashboard.count.go_hint")} onClick={() => go({ screen: "callbacks" })}>
          <span className="muted">{t("dashboard.count.callbacks")}</span>
          <span style={tileNum} data-testid="count-callbacks">
            {counts?.callbacks_due_24h ?? "–"}
          </span>
        </button>
      </section>

      <section
        aria-label={t("dashboard.filters")}
        className="panel"
        style={{ display: "flex", gap: 10, flexWrap: "wrap", alignItems: "flex-end" }}
      >
        <label style={{ ...filterLabel, flex: compact ? "1 1 120px" : "1 1 220px" }}>
          {t("dashboard.search")}
          <input
            type="search"
            data-search
            data-testid="dashboard-search"
            value={searchText}
            placeholder={t("dashboard.search_placeholder")}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={onSearchKey}
          />
        </label>
        <label style={filterLabel}>
          {t("dashboard.filter.state")}
          <select
            data-testid="filter-state"
            value={filters.state}
            onChange={(e) => set("state", e.target.value as DashboardFilters["state"])}
          >
            <Options values={STATES} label={(s) => t(`state.${s}`)} empty={t("dashboard.filter.all_open")} />
          </select>
        </label>
        <label style={filterLabel}>
          {t("dashboard.filter.owner")}
          <select data-testid="filter-owner" value={filters.owner} onChange={(e) => set("owner", e.target.value)}>
            <option value="">{t("dashboard.filter.any")}</option>
            <option value={UNASSIGNED}>{t("dashboard.unassigned")}</option>
            <Options values={team.data?.people ?? []} label={names.person} />
          </select>
        </label>
        {showAllFilters && (
          <>
        <label style={filterLabel}>
          {t("dashboard.filter.department")}
          <select
            data-testid="filter-department"
            value={filters.department}
            onChange={(e) => set("department", e.target.value)}
          >
            <Options values={team.data?.departments ?? []} label={names.department} empty={t("dashboard.filter.any")} />
          </select>
        </label>
        <label style={filterLabel}>
          {t("dashboard.filter.severity")}
          <select
            data-testid="filter-severity"
            value={filters.severity === "" ? "" : String(filters.severity)}
            onChange={(e) => set("severity", e.target.value === "" ? "" : Number(e.target.value))}
          >
            <Options values={SEVERITIES} label={(s) => severityLabel(t, s)} empty={t("dashboard.filter.any")} />
          </select>
        </label>
        <label style={filterLabel}>
          {t("dashboard.filter.kind")}
          <select
            data-testid="filter-kind"
            value={filters.kind}
            onChange={(e) => set("kind", e.target.value as DashboardFilters["kind"])}
          >
            <Options values={KINDS} label={(k) => t(`kind.${k}`)} empty={t("dashboard.filter.any")} />
          </select>
        </label>
          </>
        )}
        <label style={{ display: "flex", alignItems: "center", gap: 6, paddingBottom: 6 }}>
          <input
            type="checkbox"
            data-testid="filter-breached"
            checked={filters.breachedOnly}
            onChange={(e) => set("breachedOnly", e.target.checked)}
          />
          {t("dashboard.filter.breached_only")}
        </label>
        {showAllFilters && (
          <>
        <label style={filterLabel}>
          {t("dashboard.views.label")}
          <select data-testid="view-select" value={viewName} onChange={(e) => applyView(e.target.value)}>
            <Options values={(views.data ?? []).map((v) => v.name)} label={(n) => n} empty={t("dashboard.views.none")} />
          </select>
        </label>
        <button type="button" data-testid="view-save" onClick={() => setViewDialog("save")}>
          {t("dashboard.views.save")}
        </button>
        {viewName !== "" && (
          <button type="button" data-testid="view-delete" onClick={() => setViewDialog("delete")}>
            {t("dashboard.views.delete")}
          </button>
        )}
          </>
        )}
        {compact && (
          <button
            type="button"
            data-testid="more-filters"
            aria-expanded={moreFilters}
            onClick={() => setMoreFilters((m) => !m)}
          >
            {moreFilters
              ? t("dashboard.fewer_filters")
              : hiddenActive > 0
                ? t("dashboard.more_filters_active", { n: hiddenActive })
                : t("dashboard.more_filters")}
          </button>
        )}
        {filtered && (
          <button type="button" data-testid="clear-filters" onClick={clearFilters}>
            {t("dashboard.clear_filters")}
          </button>
        )}
      </section>

      {settings.role !== "agent" && team.data && (
        <TeamPanel
          team={team.data}
          owner={filters.owner}
          onOwner={(o) => set("owner", filters.owner === o ? "" : o)}
        />
      )}

      {shownTicked.length > 0 && (
        <div className="panel" data-testid="bulk-bar" style={{ display: "flex", gap: 10, alignItems: "center", padding: "6px 12px" }}>
          <strong data-testid="bulk-count">{t("dashboard.bulk.selected", { n: shownTicked.length })}</strong>
          <button type="button" className="primary" data-testid="bulk-assign" onClick={() => setAssigning(true)}>
            {t("dashboard.bulk.assign")}
          </button>
          <button type="button" data-testid="bulk-clear" onClick={() => setTicked(new Set())}>
            {t("dashboard.bulk.clear")}
          </button>
        </div>
      )}

      {viewDialog && (
        <ViewDialog
          mode={viewDialog}
          initialName={viewName}
          onCancel={() => setViewDialog(null)}
          onConfirm={async (name) => {
            const list = views.data ?? [];
            const next =
              viewDialog === "save"
                ? upsertView(list, toSaved(name, { filters: { ...filters, search: searchText }, sort }))
                : list.filter((v) => v.name !== viewName);
            await api.setSavedViews(next);
            setViewDialog(null);
            setViewName(viewDialog === "save" ? name.trim() : "");
            setNotice(t(viewDialog === "save" ? "dashboard.views.saved" : "dashboard.views.deleted", { name: name.trim() }));
            views.reload();
          }}
        />
      )}

      {assigning && team.data && (
        <BulkAssignDialog
          rows={shownTicked}
          team={team.data}
          onCancel={() => setAssigning(false)}
          onDone={(message, failedIds) => {
            setAssigning(false);
            setNotice(message);
            setTicked(new Set(failedIds));
            reload();
            team.reload();
          }}
        />
      )}

      {error && data && <ErrorBanner error={error} onRetry={reload} />}

      {loading && !data ? (
        <Loading />
      ) : !data ? (
        error ? <ErrorBanner error={error} onRetry={reload} /> : <Loading />
      ) : rows.length === 0 ? (
        filtered ? (
          <div className="panel">
            <EmptyState title={t("dashboard.no_match")} hint={t("dashboard.no_match_hint")} />
            <div style={{ textAlign: "center", paddingBottom: 16 }}>
              <button type="button" className="primary" data-testid="empty-clear-filters" onClick={clearFilters}>
                {t("dashboard.clear_filters")}
              </button>
            </div>
          </div>
        ) : (
          <div className="panel">
            <EmptyState title={t("dashboard.empty")} hint={t("dashboard.empty_hint")} />
          </div>
        )
      ) : (
        <div ref={measure} data-testid="dashboard-body" data-tier={tier} style={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 240 }}>
          <div
            ref={gridRef}
            role="grid"
            aria-label={t("dashboard.list_label")}
            aria-rowcount={rows.length + 1}
            aria-activedescendant={
              selectedIndex >= 0 && rows[selectedIndex] ? `dashboard-row-${rows[selectedIndex].id}` : undefined
            }
            tabIndex={0}
            data-testid="dashboard-grid"
            onKeyDown={onGridKey}
            style={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 0, borderRadius: 8 }}
          >
            <div role="rowgroup" style={headGroupStyle}>
              <div role="row" style={{ ...headStyle, gridTemplateColumns: grid }} aria-rowindex={1}>
                {columns.map((c) =>
                  c.id === "select" ? (
                    <div key={c.id} role="columnheader" style={selectCellStyle}>
                      <input
                        type="checkbox"
                        data-testid="tick-all"
                        aria-label={t("dashboard.tick_all")}
                        checked={allTicked}
                        onChange={tickAll}
                      />
                    </div>
                  ) : (
                    <HeaderCell
                      key={c.id}
                      // The closed list's first column is when they closed.
                      column={c.id === "due" && filters.state === "closed" ? { ...c, label: "dashboard.col.closed" } : c}
                      sort={sort}
                      onSort={(k) => setSort((s) => nextSort(s, k))}
                    />
                  ),
                )}
              </div>
            </div>
            <VirtualList
              ref={listRef}
              count={rows.length}
              rowHeight={ROW_HEIGHT}
              overscan={8}
              scrollToIndex={selectedIndex}
              renderRow={renderRow}
              role="rowgroup"
              tabIndex={-1}
              data-testid="dashboard-list"
              style={{
                scrollbarGutter: "stable",
                flex: "1 1 auto",
                minHeight: 200,
                border: "1px solid var(--line)",
                borderTop: "none",
                borderRadius: "0 0 8px 8px",
                background: "var(--panel)",
              }}
            />
          </div>
          <div
            className="muted"
            style={{ display: "flex", justifyContent: "space-between", fontSize: 12, padding: "6px 2px" }}
          >
            <span data-testid="dashboard-shown">{t("dashboard.shown", { n: rows.length })}</span>
            <span>{t("dashboard.keys_hint")}</span>
          </div>
        </div>
      )}
    </div>
  );
}

/** How a closed complaint ended, in words. */
function closureLabel(t: T, c: ClosureOutcome): string {
  switch (c.outcome) {
    case "satisfied":
      return t("dashboard.closure.satisfied", { score: c.score });
    case "not_satisfied":
      return c.score === null
        ? t("dashboard.closure.not_satisfied")
        : t("dashboard.closure.not_satisfied_score", { score: c.score });
    default:
      return t(`dashboard.closure.${c.outcome}`);
  }
}

/** A column title; sortable columns are buttons that show the direction. */
function HeaderCell({ column, sort, onSort }: { column: Column; sort: SortSpec; onSort: (k: SortKey) => void }) {
  const { t } = useI18n();
  const key = column.sort;
  const active = key !== undefined && sort.key === key;
  return (
    <div
      role="columnheader"
      style={cellStyle}
      aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      {key ? (
        <button
          type="button"
          style={{ ...headButton, color: active ? "var(--ink)" : "inherit" }}
          data-testid={`sort-${key}`}
          title={t("dashboard.sort_by", { column: t(column.label) })}
          onClick={() => onSort(key)}
        >
          {t(column.label)}
          {active && <span aria-hidden="true">{sort.dir === "asc" ? " ▲" : " ▼"}</span>}
        </button>
      ) : (
        t(column.label)
      )}
    </div>
  );
}

function Cell({ children, title, col }: { children?: ReactNode; title?: string | undefined; col: ColumnId }) {
  return (
    <div role="gridcell" style={col === "select" ? selectCellStyle : cellStyle} title={title} data-col={col}>
      {children}
    </div>
  );
}

/** Workload per owner; clicking one filters the list to them. */
function TeamPanel({ team, owner, onOwner }: { team: TeamView; owner: string; onOwner: (o: string) => void }) {
  const { t } = useI18n();
  const names = useNames();
  return (
    <section className="panel" aria-label={t("dashboard.team.title")} data-testid="team-panel" style={{ padding: "6px 12px" }}>
      {/* One line, scrolling sideways: the list below keeps its height however big the team. */}
      <div style={{ display: "flex", gap: 8, flexWrap: "nowrap", alignItems: "center", overflowX: "auto" }}>
        <strong style={{ fontSize: 13, flexShrink: 0 }}>{t("dashboard.team.title")}</strong>
        {team.workload.length === 0 && <span className="muted">{t("dashboard.team.empty")}</span>}
        {team.workload.map((w) => {
          const key = w.owner ?? UNASSIGNED;
          const active = owner === key;
          return (
            <button
              key={key}
              type="button"
              data-testid="team-owner"
              data-owner={w.owner ?? ""}
              aria-pressed={active}
              title={t("dashboard.team.hint", {
                open: w.open,
                at_risk: w.at_risk,
                breached: w.breached,
                due_today: w.due_today,
              })}
              onClick={() => onOwner(key)}
              style={{ background: active ? "#e7effb" : undefined, flexShrink: 0, whiteSpace: "nowrap" }}
            >
              {w.owner ? names.person(w.owner) : t("dashboard.unassigned")}{" "}
              <strong data-testid="team-open">{w.open}</strong>
              {w.breached > 0 && (
                <span className="tag bad" style={{ marginLeft: 4 }} data-testid="team-breached">
                  {t("dashboard.team.breached", { n: w.breached })}
                </span>
              )}
              {w.at_risk > 0 && (
                <span className="tag warn" style={{ marginLeft: 4 }}>
                  {t("dashboard.team.at_risk", { n: w.at_risk })}
                </span>
              )}
              {w.due_today > 0 && (
                <span className="tag" style={{ marginLeft: 4 }}>
                  {t("dashboard.team.due_today", { n: w.due_today })}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </section>
  );
}

/** Assigns the ticked complaints to one department and owner, chosen from lists. */
function BulkAssignDialog({
  rows,
  team,
  onCancel,
  onDone,
}: {
  rows: DashboardLine[];
  team: TeamView;
  onCancel: () => void;
  onDone: (message: string, failedIds: string[]) => void;
}) {
  const { t } = useI18n();
  const names = useNames();
  const [department, setDepartment] = useState("");
  const [owner, setOwner] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof toAppError>>();
  const confirm = () => {
    if (department === "" || busy) return;
    setBusy(true);
    setFailure(undefined);
    api
      .bulkAssign(
        rows.map((r) => r.id),
        department,
        owner === "" ? null : owner,
      )
      .then(
        (outcome) => {
          const numbers = new Map(rows.map((r) => [r.id, r.number]));
          const failed = outcome.failed.map(
            (f) => `${numbers.get(f.id) ?? f.id}: ${errorMessage(t, f.error.code)}`,
          );
          const message =
            failed.length === 0
              ? t("dashboard.bulk.done", { n: outcome.done.length })
              : t("dashboard.bulk.partly", { n: outcome.done.length, failed: failed.join("; ") });
          onDone(message, outcome.failed.map((f) => f.id));
        },
        (e: unknown) => {
          setFailure(toAppError(e));
          setBusy(false);
        },
      );
  };
  return (
    <Dialog
      title={t("dashboard.bulk.title", { n: rows.length })}
      confirmLabel={t("dashboard.bulk.assign")}
      busy={busy}
      canConfirm={department !== ""}
      onCancel={onCancel}
      onConfirm={confirm}
      testId="bulk-dialog"
    >
      <p className="muted" style={{ margin: 0 }}>
        {rows
          .slice(0, 8)
          .map((r) => r.number)
          .join(", ")}
        {rows.length > 8 && ` ${t("dashboard.bulk.more", { n: rows.length - 8 })}`}
      </p>
      <label>
        {t("complaint.f.department")}
        {names.catalogs.departments.length > 0 ? (
          <select data-testid="bulk-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
            <Options values={team.departments} label={names.department} empty={t("complaint.f.choose")} />
          </select>
        ) : (
          // No department catalog yet: any code, with those already in use offered.
          <>
            <input
              data-testid="bulk-department"
              value={department}
              onChange={(e) => setDepartment(e.target.value)}
              list="bulk-department-known"
              autoComplete="off"
            />
            <datalist id="bulk-department-known">
              {team.departments.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
            <span className="muted">{t("complaint.f.department_no_catalog")}</span>
          </>
        )}
      </label>
      <label>
        {t("complaint.f.owner")}
        {/* Made afresh when the people change: WebKitGTK was seen to merge an
            option added in place into its neighbour ("agent.lisup.zhang"). */}
        <select
          key={team.people.join("\n")}
          data-testid="bulk-owner"
          value={owner}
          onChange={(e) => setOwner(e.target.value)}
        >
          <Options values={team.people} label={names.person} empty={t("complaint.f.no_owner")} />
        </select>
      </label>
      {failure && <ErrorBanner error={failure} />}
    </Dialog>
  );
}

/** Names and saves the current filters and sort as a view, or deletes the chosen one. */
function ViewDialog({
  mode,
  initialName,
  onCancel,
  onConfirm,
}: {
  mode: "save" | "delete";
  initialName: string;
  onCancel: () => void;
  onConfirm: (name: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(initialName);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ReturnType<typeof toAppError>>();
  const confirm = () => {
    if (name.trim() === "" || busy) return;
    setBusy(true);
    setFailure(undefined);
    onConfirm(name).catch((e: unknown) => {
      setFailure(toAppError(e));
      setBusy(false);
    });
  };
  return (
    <Dialog
      title={t(mode === "save" ? "dashboard.views.save_title" : "dashboard.views.delete_title", { name: initialName })}
      confirmLabel={t(mode === "save" ? "dashboard.views.save" : "dashboard.views.delete")}
      danger={mode === "delete"}
      busy={busy}
      canConfirm={name.trim() !== ""}
      onCancel={onCancel}
      onConfirm={confirm}
      testId="view-dialog"
    >
      {mode === "save" ? (
        <label>
          {t("dashboard.views.name")}
          <input data-testid="view-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
          <span className="muted" style={{ fontSize: 12 }}>
            {t("dashboard.views.save_hint")}
          </span>
        </label>
      ) : (
        <p style={{ margin: 0 }}>{t("dashboard.views.delete_note")}</p>
      )}
      {failure && <ErrorBanner error={failure} />}
    </Dialog>
  );
}
