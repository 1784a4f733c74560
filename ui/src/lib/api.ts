// Typed calls into the Rust side. Every function here is one Tauri command of
// src-tauri/src/commands.rs; the types come from ui/src/bindings (generated
// from the Rust types, never edited by hand).
import { decodeDashboard, type DashboardData } from "./dashboardLines";
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { Opens } from "../bindings/Opens";
import type { AccountEdit } from "../bindings/AccountEdit";
import type { AccountInput } from "../bindings/AccountInput";
import type { AccountLine } from "../bindings/AccountLine";
import type { AdminConfig } from "../bindings/AdminConfig";
import type { AuthorityMatrix } from "../bindings/AuthorityMatrix";
import type { IcalDays } from "../bindings/IcalDays";
import type { RemedyKind } from "../bindings/RemedyKind";
import type { Role } from "../bindings/Role";
import type { RouteExplanation } from "../bindings/RouteExplanation";
import type { SessionLine } from "../bindings/SessionLine";
import type { AuditLine } from "../bindings/AuditLine";
import type { ConfigEdit } from "../bindings/ConfigEdit";
import type { DiffLine } from "../bindings/DiffLine";
import type { VersionLine } from "../bindings/VersionLine";
import type { AppError } from "../bindings/AppError";
import type { ApprovalItem } from "../bindings/ApprovalItem";
import type { BulkOutcome } from "../bindings/BulkOutcome";
import type { CallbackItem } from "../bindings/CallbackItem";
import type { Changed } from "../bindings/Changed";
import type { Command } from "../bindings/Command";
import type { ComplaintView } from "../bindings/ComplaintView";
import type { DashboardQuery } from "../bindings/DashboardQuery";
import type { DashboardView } from "../bindings/DashboardView";
import type { DecidedItem } from "../bindings/DecidedItem";
import type { IdentityStatus } from "../bindings/IdentityStatus";
import type { IntakeLookup } from "../bindings/IntakeLookup";
import type { IntakeQuery } from "../bindings/IntakeQuery";
import type { Catalogs } from "../bindings/Catalogs";
import type { ComplaintDraft } from "../bindings/ComplaintDraft";
import type { HeaderCounts } from "../bindings/HeaderCounts";
import type { ReminderItem } from "../bindings/ReminderItem";
import type { SavedView } from "../bindings/SavedView";
import type { Settings } from "../bindings/Settings";
import type { SyncIssue } from "../bindings/SyncIssue";
import type { SyncOverview } from "../bindings/SyncOverview";
import type { TeamView } from "../bindings/TeamView";

export const api = {
  dashboard: (query: DashboardQuery): Promise<DashboardData> =>
    invoke<DashboardView>("dashboard", { query }).then(decodeDashboard),
  complaint: (id: string) => invoke<ComplaintView>("complaint", { id }),
  approvals: () => invoke<ApprovalItem[]>("approvals"),
  decidedApprovals: (days = 7, limit = 200) => invoke<DecidedItem[]>("decided_approvals", { days, limit }),
  callbacks: () => invoke<CallbackItem[]>("callbacks"),
  reminders: (limit = 500) => invoke<ReminderItem[]>("reminders", { limit }),
  reminderHistory: (limit = 200) => invoke<ReminderItem[]>("reminder_history", { limit }),
  counts: () => invoke<HeaderCounts>("counts"),
  catalogs: () => invoke<Catalogs>("catalogs"),
  adminConfig: () => invoke<AdminConfig>("admin_config"),
  adminSave: (edit: ConfigEdit) => invoke<number | null>("admin_save", { edit }),
  adminImport: (toml: string, baseVersion: number | null, note: string) =>
    invoke<number | null>("admin_import", { toml, baseVersion, note }),
  adminVersions: () => invoke<VersionLine[]>("admin_versions"),
  adminDiff: (from: number, to: number) => invoke<DiffLine[]>("admin_diff", { from, to }),
  adminAudit: () => invoke<AuditLine[]>("admin_audit"),
  adminAuditExport: () => invoke<string>("admin_audit_export"),
  adminAccounts: () => invoke<AccountLine[]>("admin_accounts"),
  adminAddAccount: (input: AccountInput) => invoke<AccountLine>("admin_add_account", { input }),
  adminEditAccount: (name: string, edit: AccountEdit) => invoke<AccountLine>("admin_edit_account", { name, edit }),
  adminResetPassword: (name: string, password: string) => invoke<null>("admin_reset_password", { name, password }),
  adminSessions: (name: string) => invoke<SessionLine[]>("admin_sessions", { name }),
  adminRevokeSessions: (name: string, id: string | null) => invoke<number>("admin_revoke_sessions", { name, id }),
  importIcal: (text: string) => invoke<IcalDays>("import_ical", { text }),
  authorityRoute: (matrix: AuthorityMatrix, proposer: Role, kind: RemedyKind, amountMinor: number) =>
    invoke<RouteExplanation>("authority_route", { matrix, proposer, kind, amountMinor }),
  recordComplaint: (input: ComplaintDraft) => invoke<string>("record_complaint", { input }),
  intakeLookup: (query: IntakeQuery) => invoke<IntakeLookup>("intake_lookup", { query }),
  team: () => invoke<TeamView>("team"),
  identityStatus: () => invoke<IdentityStatus>("identity_status"),
  archiveStandaloneHistory: () => invoke<string>("archive_standalone_history"),
  savedViews: () => invoke<SavedView[]>("saved_views"),
  setSavedViews: (views: SavedView[]) => invoke<null>("set_saved_views", { views }),
  bulkAssign: (ids: string[], department: string, owner: string | null) =>
    invoke<BulkOutcome>("bulk_assign", { ids, department, owner }),
  execute: (id: string, command: Command) => invoke<null>("execute", { id, command }),
  ackReminders: (keys: string[]) => invoke<null>("ack_reminders", { keys }),
  snoozeReminders: (keys: string[], minutes: number) => invoke<null>("snooze_reminders", { keys, minutes }),
  settings: () => invoke<Settings>("settings"),
  setSettings: (settings: Settings) => invoke<null>("set_settings", { settings }),
  syncOverview: () => invoke<SyncOverview>("sync_overview"),
  signIn: (
    url: string,
    user: string,
    password: string,
    transport: { caFile: string | null; insecureHttp: boolean } = {
      caFile: null,
      insecureHttp: false,
    },
  ) =>
    invoke<SyncOverview>("sign_in", {
      url,
      user,
      password,
      caFile: transport.caFile,
      insecureHttp: transport.insecureHttp,
    }),
  signOut: () => invoke<SyncOverview>("sign_out"),
  syncIssues: () => invoke<SyncIssue[]>("sync_issues"),
  dismissSyncIssue: (clientSeq: number) => invoke<null>("dismiss_sync_issue", { clientSeq }),
};

/** The sync loop's status (the header's indicator), pushed by the Rust side. */
export function onSyncStatus(cb: (o: SyncOverview) => void): Promise<UnlistenFn> {
  return listen<SyncOverview>("sync-status", (e) => cb(e.payload));
}

/** The batched "changed" event from the Rust side. */
export function onChanged(cb: (c: Changed) => void): Promise<UnlistenFn> {
  return listen<Changed>("changed", (e) => cb(e.payload));
}

/**
 * What the Rust side asks the console to open: a notification's click or a
 * tray entry (the window is already raised).
 */
export function onOpen(cb: (o: Opens) => void): Promise<UnlistenFn> {
  return listen<Opens>("open", (e) => cb(e.payload));
}

/** Whatever a command rejected with, as an AppError. */
export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "code" in e && typeof e.code === "string") {
    const o = e as Partial<AppError>;
    return {
      code: o.code ?? "task_failed",
      message: o.message ?? "",
      transient: o.transient ?? false,
      fields: o.fields ?? [],
    };
  }
  return { code: "task_failed", message: String(e), transient: true, fields: [] };
}

/** A random (version 4) UUID for new entities: progress updates, remedies,
 * callback attempts. crypto.randomUUID needs a secure context, which a custom
 * URL scheme may not count as; getRandomValues works everywhere. */
export function newId(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
