import { describe, expect, it } from "vitest";
import type { Channel } from "../bindings/Channel";
import type { ClockKind } from "../bindings/ClockKind";
import type { ComplaintKind } from "../bindings/ComplaintKind";
import type { ComplaintState } from "../bindings/ComplaintState";
import type { ApprovalState } from "../bindings/ApprovalState";
import type { CallbackOutcome } from "../bindings/CallbackOutcome";
import type { ClockStatus } from "../bindings/ClockStatus";
import type { DemandClass } from "../bindings/DemandClass";
import type { InvalidReason } from "../bindings/InvalidReason";
import type { PauseReason } from "../bindings/PauseReason";
import type { ReminderKind } from "../bindings/ReminderKind";
import type { RemedyKind } from "../bindings/RemedyKind";
import type { RemedyState } from "../bindings/RemedyState";
import type { Role } from "../bindings/Role";
import type { RootCause } from "../bindings/RootCause";
import type { SubjectKind } from "../bindings/SubjectKind";
import { AREAS, catalogue, hasKey, interpolate, LANGS, translate, type Key } from "./index";


// Every wire name the UI puts a label on. Each object must name exactly the
// members of its binding type, so a variant added on the Rust side (and so in
// the generated bindings) fails the typecheck here until it gets a label.
const STATES = {
  recorded: true,
  validated: true,
  invalid: true,
  assigned: true,
  analysed: true,
  awaiting_approval: true,
  remedy_agreed: true,
  implemented: true,
  resolved: true,
  followed_up: true,
  reviewed: true,
  closed: true,
} as const satisfies Record<ComplaintState, true>;

const KINDS = { emotion_driven: true, demand_driven: true, compound: true } as const satisfies Record<
  ComplaintKind,
  true
>;

const CHANNELS = {
  phone: true,
  online_chat: true,
  app: true,
  email: true,
  social_media: true,
  letter: true,
  walk_in: true,
} as const satisfies Record<Channel, true>;

const CLOCKS = {
  first_response: true,
  progress_update: true,
  resolution: true,
  approval: true,
  callback: true,
} as const satisfies Record<ClockKind, true>;

const CLOCK_STATUSES = {
  ok: true,
  warning: true,
  breached: true,
  paused: true,
  stopped: true,
} as const satisfies Record<ClockStatus["status"], true>;

const REMINDERS = {
  progress_due: true,
  sla_warning: true,
  sla_breach: true,
  approval_waiting: true,
  callback_due: true,
} as const satisfies Record<ReminderKind, true>;

const ROLES = { agent: true, supervisor: true, manager: true, admin: true } as const satisfies Record<Role, true>;

const REMEDIES = {
  refund: true,
  replacement: true,
  repair: true,
  discount: true,
  compensation_payment: true,
  fee_waiver: true,
  voucher: true,
  service_upgrade: true,
  apology_only: true,
} as const satisfies Record<RemedyKind, true>;

const REMEDY_STATES = {
  pending_approval: true,
  approved: true,
  rejected: true,
  implemented: true,
} as const satisfies Record<RemedyState, true>;

const APPROVAL_STATES = { pending: true, approved: true, rejected: true, superseded: true } as const satisfies Record<
  ApprovalState,
  true
>;

const CALLBACK_OUTCOMES = { satisfied: true, not_satisfied: true, unreachable: true } as const satisfies Record<
  CallbackOutcome["outcome"],
  true
>;

const DEMAND_CLASSES = {
  immediate_fix: true,
  long_term_improvement: true,
  emotional_compensation: true,
} as const satisfies Record<DemandClass, true>;

const SUBJECTS = { product: true, order: true, business_line: true, agent: true } as const satisfies Record<
  SubjectKind,
  true
>;

const ROOT_CAUSES = {
  process: true,
  people: true,
  system: true,
  management: true,
  knowledge_base: true,
  product: true,
  customer_misunderstanding: true,
} as const satisfies Record<RootCause, true>;

const INVALID_REASONS = {
  misunderstanding: true,
  outside_policy: true,
  duplicate: true,
  not_our_service: true,
  other: true,
} as const satisfies Record<InvalidReason, true>;

const PAUSE_REASONS = { waiting_on_customer: true, waiting_on_third_party: true, other: true } as const satisfies Record<
  PauseReason,
  true
>;

const LABELLED: [prefix: string, names: Record<string, true>][] = [
  ["state", STATES],
  ["kind", KINDS],
  ["channel", CHANNELS],
  ["clock", CLOCKS],
  ["clock_status", CLOCK_STATUSES],
  ["reminder", REMINDERS],
  ["role", ROLES],
  ["remedy", REMEDIES],
  ["remedy_state", REMEDY_STATES],
  ["approval_state", APPROVAL_STATES],
  ["callback_outcome", CALLBACK_OUTCOMES],
  ["demand_class", DEMAND_CLASSES],
  ["subject", SUBJECTS],
  ["root", ROOT_CAUSES],
  ["invalid", INVALID_REASONS],
  ["pause", PAUSE_REASONS],
];

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("catalogue", () => {
  it("has the same keys in every area for both languages", () => {
    for (const [name, area] of Object.entries(AREAS)) {
      expect(Object.keys(area.zhCN).sort(), name).toEqual(Object.keys(area.en).sort());
    }
  });

  it("has no key in two areas", () => {
    const total = Object.values(AREAS).reduce((n, a) => n + Object.keys(a.en).length, 0);
    expect(Object.keys(catalogue.en)).toHaveLength(total);
  });

  it("has a non-empty, finished text for every key in both languages", () => {
    for (const lang of LANGS) {
      for (const key of Object.keys(catalogue.en)) {
        const text = catalogue[lang][key];
        expect(typeof text, `${lang} ${key}`).toBe("string");
        expect(text?.trim(), `${lang} ${key}`).not.toBe("");
        expect(text, `${lang} ${key}`).not.toMatch(/TODO/);
      }
    }
  });

  it("uses the same placeholders in both languages", () => {
    for (const key of Object.keys(catalogue.en)) {
      expect(placeholders(catalogue["zh-CN"][key] ?? ""), key).toEqual(placeholders(catalogue.en[key] ?? ""));
    }
  });

  it("keeps each screen's keys under its own prefix", () => {
    for (const name of ["dashboard", "admin", "approvals", "callbacks", "reminders", "settings", "sync"] as const) {
      const area = AREAS[name];
      expect(area).toBeDefined();
      for (const key of Object.keys(area?.en ?? {})) expect(key.startsWith(`${name}.`), key).toBe(true);
      expect(hasKey(`${name}.title`)).toBe(true);
    }
  });

  it.each(LABELLED)("labels every %s wire name", (prefix, names) => {
    expect(Object.keys(names).length).toBeGreaterThan(0);
    for (const name of Object.keys(names)) expect(hasKey(`${prefix}.${name}`), `${prefix}.${name}`).toBe(true);
  });

  it("labels severities 1 to 4", () => {
    for (const level of [1, 2, 3, 4]) expect(hasKey(`severity.${level}`)).toBe(true);
  });

  it("has a message for the error codes the approval queue explains", () => {
    for (const code of ["self_approval_forbidden", "authority_limit_exceeded", "forbidden_role", "unknown"]) {
      expect(hasKey(`error.${code}`), code).toBe(true);
    }
  });

  it("has a message for every sign-in failure and every rejection the server sends", () => {
    const codes = [
      "invalid_credentials",
      "server_unreachable",
      "protocol_mismatch",
      "bad_server_url",
      "insecure_transport",
      "invalid_ca_file",
      "tls_failed",
      "standalone_history",
      "linked_elsewhere",
      "unauthorized",
      "device_forked",
      "server_busy",
      "too_many_streams",
      "rate_limited",
      "approval_already_decided",
      "remedy_changed_since_viewed",
      "author_mismatch",
      "replay_mismatch",
      "mutation_id_taken",
      "unstorable_data",
      "text_too_long",
      "invalid_text",
      "complaint_limit_reached",
      "malformed_request",
    ];
    for (const code of codes) {
      expect(hasKey(`error.${code}`), code).toBe(true);
    }
  });
});

describe("interpolate", () => {
  it("fills named placeholders, as often as they occur", () => {
    expect(interpolate("{a} and {b}, {a}", { a: "x", b: 2 })).toBe("x and 2, x");
  });

  it("leaves unknown placeholders and text without parameters alone", () => {
    expect(interpolate("{a} {missing}", { a: 1 })).toBe("1 {missing}");
    expect(interpolate("no {params}")).toBe("no {params}");
  });
});

describe("translate", () => {
  it("translates into the asked language with parameters", () => {
    expect(translate("en", "dashboard.shown", { n: 3 })).toBe("3 shown");
    expect(translate("zh-CN", "dashboard.shown", { n: 3 })).toBe("共 3 条");
    expect(translate("en", "state.closed")).toBe("Closed");
    expect(translate("zh-CN", "state.closed")).toBe("已结案");
  });

  it("falls back to English when the language lacks a text", () => {
    const key: Key = "dashboard.title";
    const zh = catalogue["zh-CN"];
    const saved = zh[key];
    delete zh[key];
    try {
      expect(translate("zh-CN", key)).toBe(catalogue.en[key]);
    } finally {
      if (saved !== undefined) zh[key] = saved;
    }
    expect(translate("zh-CN", key)).toBe(saved);
  });

  it("shows the key itself when no language has it", () => {
    expect(translate("en", "no.such.key" as Key)).toBe("no.such.key");
  });
});
