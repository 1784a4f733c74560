// The dashboard: header counters, a filter bar, and every open complaint with a
// live countdown to its nearest deadline. The list is virtualised so that a
// supervisor's 5,000 open complaints scroll as smoothly as fifty.
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode } from "react";
import type { DashboardRow } from "../bindings/DashboardRow";
import type { DashboardView } from "../bindings/DashboardView";
import { Countdown } from "../components/Countdown";
import { Options } from "../components/Options";
import { EmptyState, ErrorBanner, Loading } from "../components/Status";
import { VirtualList } from "../components/VirtualList";
import { useI18n, type Key } from "../i18n";
import { api } from "../lib/api";
import { complaintsChanged } from "../lib/changes";
import { useShell } from "../lib/context";
import {
  isFiltered,
  KINDS,
  mergeOptions,
  NO_FILTERS,
  SEVERITIES,
  severityLabel,
  STATES,
  toQuery,
  type DashboardFilters,
} from "../lib/filters";
import { DEFAULT_SORT, nextSort, sortRows, type SortKey, type SortSpec } from "../lib/sort";
import { formatDateTime, syncClock } from "../lib/time";
import { useLoad } from "../lib/useLoad";

/** Fixed row height of the virtualised list, in pixels. */
export const ROW_HEIGHT = 40;
const SEARCH_DEBOUNCE_MS = 200;
/** Statuses move with time even when no data changes. */
const REFRESH_MS = 30_000;

interface Column {
  id: string;
  label: Key;
  width: string;
  sort?: SortKey;
}

const COLUMNS: Column[] = [
  { id: "number", label: "dashboard.col.number", width: "140px", sort: "number" },
  { id: "customer", label: "dashboard.col.customer", width: "minmax(80px, 1.3fr)", sort: "customer" },
  { id: "kind", label: "dashboard.col.kind", width: "72px" },
  { id: "severity", label: "dashboard.col.severity", width: "64px", sort: "severity" },
  { id: "channel", label: "dashboard.col.channel", width: "76px" },
  { id: "owner", label: "dashboard.col.owner", width: "minmax(70px, 1fr)" },
  { id: "department", label: "dashboard.col.department", width: "minmax(70px, 1fr)" },
  { id: "state", label: "dashboard.col.state", width: "96px", sort: "state" },
  { id: "flags", label: "dashboard.col.flags", width: "minmax(70px, 1.2fr)" },
  { id: "due", label: "dashboard.col.due", width: "140px", sort: "due" },
  { id: "received", label: "dashboard.col.received", width: "128px", sort: "received" },
];

// The fixed and minimum widths add up to about 1,010 px, so the whole row
// fits the default window (1280 px less the navigation) without a
// horizontal scrollbar.
const GRID = COLUMNS.map((c) => c.width).join(" ");

const rowStyle: CSSProperties = {
  display: "grid",
  gridTemplateColumns: GRID,
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
const tileStyle: CSSProperties = {
  display: "flex",
  flexDirection: "column",
  alignItems: "flex-start",
  gap: 2,
  minWidth: 130,
  padding: "8px 14px",
  borderRadius: 8,
  border: "1px solid var(--line)",
  background: "var(--panel)",
  textAlign: "left",
  font: "inherit",
  color: "inherit",
};
const tileNumber: CSSProperties = { fontSize: 22, fontWeight: 700, fontVariantNumeric: "tabular-nums" };
const filterLabel: CSSProperties = {
  display: "flex",
  flexDirection: "column",
  gap: 2,
  fontSize: 12,
  color: "var(--muted)",
};

export function Dashboard() {
  const { t, lang } = useI18n();
  const { go } = useShell();
  const [filters, setFilters] = useState<DashboardFilters>(NO_FILTERS);
  const [searchText, setSearchText] = useState("");
  const [sort, setSort] = useState<SortSpec>(DEFAULT_SORT);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [known, setKnown] = useState<{ owners: string[]; departments: string[] }>({
    owners: [],
    departments: [],
  });
  const listRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  // Typing in the search box asks Rust only once the user pauses.
  useEffect(() => {
    const id = setTimeout(
      () => setFilters((f) => (f.search === searchText ? f : { ...f, search: searchText })),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(id);
  }, [searchText]);

  const { data, error, loading, reload } = useLoad<DashboardView>(
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

  // Owner and department choices: everything seen so far (the first load has
  // no filter, so it sees every open complaint).
  useEffect(() => {
    if (data) setKnown((k) => mergeOptions(k, data.rows));
  }, [data]);

  const rows = useMemo(() => (data ? sortRows(data.rows, sort) : []), [data, sort]);
  const selectedIndex = useMemo(
    () => (selectedId === null ? -1 : rows.findIndex((r) => r.id === selectedId)),
    [rows, selectedId],
  );

  const open = useCallback((row: DashboardRow) => go({ screen: "complaint", id: row.id }), [go]);

  const set = <K extends keyof DashboardFilters>(key: K, value: DashboardFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value }));

  const clearFilters = () => {
    setSearchText("");
    setFilters(NO_FILTERS);
  };

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
  const counts = data?.counts;

  const renderRow = (index: number, style: CSSProperties) => {
    const row = rows[index];
    if (!row) return null;
    const selected = index === selectedIndex;
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
          ...style,
          background: selected ? "#e7effb" : index % 2 ? "#fcfcfd" : "var(--panel)",
          boxShadow: selected ? "inset 3px 0 0 var(--accent)" : undefined,
        }}
        onClick={() => {
          setSelectedId(row.id);
          open(row);
        }}
      >
        <Cell>
          <strong style={{ fontVariantNumeric: "tabular-nums" }}>{row.number}</strong>
          {row.pending && (
            <span className="tag" data-testid="pending" title={t("common.pending_sync")} style={{ marginLeft: 6 }}>
              {t("common.pending_sync")}
            </span>
          )}
        </Cell>
        <Cell title={row.customer_name}>{row.customer_name}</Cell>
        <Cell>{t(`kind.${row.kind}`)}</Cell>
        <Cell>
          <span className={`tag${row.severity >= 4 ? " bad" : row.severity === 3 ? " warn" : ""}`}>
            {severityLabel(t, row.severity)}
          </span>
        </Cell>
        <Cell>{t(`channel.${row.channel}`)}</Cell>
        <Cell title={row.owner ?? undefined}>
          {row.owner ?? <span className="muted">{t("dashboard.unassigned")}</span>}
        </Cell>
        <Cell title={row.department ?? undefined}>
          {row.department ?? <span className="muted">{t("common.none")}</span>}
        </Cell>
        <Cell>{t(`state.${row.state}`)}</Cell>
        <Cell>
          {row.repeat_ordinal !== null && row.repeat_ordinal > 1 && (
            <span className="tag warn">{t("dashboard.flag.repeat", { n: row.repeat_ordinal })}</span>
          )}
          {row.escalated && <span className="tag bad">{t("dashboard.flag.escalated")}</span>}
          {row.public_exposure && <span className="tag bad">{t("dashboard.flag.public")}</span>}
        </Cell>
        <Cell>
          <Countdown due={row.next_due_at} warn={row.next_warn_at} />
          {row.next_due_kind && (
            <span className="muted" style={{ marginLeft: 6, fontSize: 12 }}>
              {t(`clock.${row.next_due_kind}`)}
            </span>
          )}
        </Cell>
        <Cell>
          <span className="muted" style={{ fontSize: 12 }}>
            {formatDateTime(row.received_at, lang)}
          </span>
        </Cell>
      </div>
    );
  };

  return (
    <div style={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 0 }}>
      <h1>{t("dashboard.title")}</h1>

      <section aria-label={t("dashboard.counts")} style={{ display: "flex", gap: 10, flexWrap: "wrap", marginBottom: 12 }}>
        <div style={tileStyle}>
          <span className="muted">{t("dashboard.count.open")}</span>
          <span style={tileNumber} data-testid="count-open">
            {counts?.open ?? "–"}
          </span>
        </div>
        <div style={{ ...tileStyle, borderColor: counts && counts.at_risk > 0 ? "var(--warn)" : "var(--line)" }}>
          <span className="muted">{t("dashboard.count.at_risk")}</span>
          <span style={{ ...tileNumber, color: counts && counts.at_risk > 0 ? "var(--warn)" : undefined }} data-testid="count-at-risk">
            {counts?.at_risk ?? "–"}
          </span>
        </div>
        <button
          type="button"
          style={{
            ...tileStyle,
            borderColor: counts && counts.breached > 0 ? "var(--bad)" : "var(--line)",
            background: filters.breachedOnly ? "var(--bad-bg)" : "var(--panel)",
          }}
          aria-pressed={filters.breachedOnly}
          title={t("dashboard.count.breached_hint")}
          onClick={() => set("breachedOnly", !filters.breachedOnly)}
        >
          <span className="muted">{t("dashboard.count.breached")}</span>
          <span style={{ ...tileNumber, color: counts && counts.breached > 0 ? "var(--bad)" : undefined }} data-testid="count-breached">
            {counts?.breached ?? "–"}
          </span>
        </button>
        <button type="button" style={tileStyle} title={t("dashboard.count.go_hint")} onClick={() => go({ screen: "approvals" })}>
          <span className="muted">{t("dashboard.count.approvals")}</span>
          <span style={tileNumber} data-testid="count-approvals">
            {counts?.approvals_waiting ?? "–"}
          </span>
        </button>
        <button type="button" style={tileStyle} title={t("dashboard.count.go_hint")} onClick={() => go({ screen: "callbacks" })}>
          <span className="muted">{t("dashboard.count.callbacks")}</span>
          <span style={tileNumber} data-testid="count-callbacks">
            {counts?.callbacks_due_24h ?? "–"}
          </span>
        </button>
      </section>

      <section
        aria-label={t("dashboard.filters")}
        className="panel"
        style={{ display: "flex", gap: 10, flexWrap: "wrap", alignItems: "flex-end" }}
      >
        <label style={{ ...filterLabel, flex: "1 1 220px" }}>
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
            <Options values={known.owners} label={(o) => o} empty={t("dashboard.filter.any")} />
          </select>
        </label>
        <label style={filterLabel}>
          {t("dashboard.filter.department")}
          <select
            data-testid="filter-department"
            value={filters.department}
            onChange={(e) => set("department", e.target.value)}
          >
            <Options values={known.departments} label={(d) => d} empty={t("dashboard.filter.any")} />
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
        <label style={{ display: "flex", alignItems: "center", gap: 6, paddingBottom: 6 }}>
          <input
            type="checkbox"
            data-testid="filter-breached"
            checked={filters.breachedOnly}
            onChange={(e) => set("breachedOnly", e.target.checked)}
          />
          {t("dashboard.filter.breached_only")}
        </label>
        {filtered && (
          <button type="button" data-testid="clear-filters" onClick={clearFilters}>
            {t("dashboard.clear_filters")}
          </button>
        )}
      </section>

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
        <div style={{ display: "flex", flexDirection: "column", flex: "1 1 auto", minHeight: 240 }}>
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
              <div role="row" style={headStyle} aria-rowindex={1}>
                {COLUMNS.map((c) => (
                  <HeaderCell key={c.id} column={c} sort={sort} onSort={(k) => setSort((s) => nextSort(s, k))} />
                ))}
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

function Cell({ children, title }: { children?: ReactNode; title?: string | undefined }) {
  return (
    <div role="gridcell" style={cellStyle} title={title}>
      {children}
    </div>
  );
}
