// The new-complaint form as data: its fields, its checks (the same ones the
// Rust side makes in `Complaint::record`, so most mistakes are caught before
// the call), and how the Rust side's field names map onto the form.
import type { Channel } from "../../bindings/Channel";
import type { ComplaintKind } from "../../bindings/ComplaintKind";
import type { DemandClass } from "../../bindings/DemandClass";
import type { FieldError } from "../../bindings/FieldError";
import type { ComplaintDraft } from "../../bindings/ComplaintDraft";
import type { SubjectKind } from "../../bindings/SubjectKind";
import type { Key } from "../../i18n";

export interface NewComplaintForm {
  name: string;
  phone: string;
  customerId: string;
  channel: Channel;
  subjectKind: SubjectKind;
  subjectRef: string;
  category: string;
  demand: string;
  description: string;
  kind: ComplaintKind;
  demandClass: DemandClass;
  severity: number;
  publicExposure: boolean;
  /** A `datetime-local` value in the user's zone, or "" for "now". */
  receivedAt: string;
}

/** Form fields, named like their inputs' test ids (`nc-<field>`). */
export type FormField =
  | "name"
  | "phone"
  | "customer-id"
  | "channel"
  | "subject-kind"
  | "subject-ref"
  | "category"
  | "demand"
  | "description"
  | "kind"
  | "demand-class"
  | "severity"
  | "public"
  | "received-at";

/** Message keys by field. */
export type FormErrors = Partial<Record<FormField, Key>>;

export const EMPTY_FORM: NewComplaintForm = {
  name: "",
  phone: "",
  customerId: "",
  channel: "phone",
  subjectKind: "order",
  subjectRef: "",
  category: "",
  demand: "",
  description: "",
  kind: "demand_driven",
  demandClass: "immediate_fix",
  severity: 2,
  publicExposure: false,
  receivedAt: "",
};

export const CHANNELS: readonly Channel[] = [
  "phone",
  "online_chat",
  "app",
  "email",
  "social_media",
  "letter",
  "walk_in",
];
export const SUBJECT_KINDS: readonly SubjectKind[] = ["order", "product", "business_line", "agent"];
export const KINDS: readonly ComplaintKind[] = ["emotion_driven", "demand_driven", "compound"];
export const DEMAND_CLASSES: readonly DemandClass[] = [
  "immediate_fix",
  "long_term_improvement",
  "emotional_compensation",
];


/** A `datetime-local` value (user's zone) as an RFC 3339 instant; null if not a time. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An instant as a `datetime-local` value in the user's zone (minutes). */
export function isoToLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Checks every field; returns the input for Rust when there is nothing to fix.
 * Whether a phone is a valid number is the Rust side's call (the intake
 * lookup); `phoneInvalid` says it answered "no" for the phone typed now.
 */
export function validateNewComplaint(
  form: NewComplaintForm,
  nowMs: number,
  phoneInvalid = false,
): { input: ComplaintDraft | null; errors: FormErrors } {
  const errors: FormErrors = {};
  const blank = (s: string) => s.trim() === "";
  if (blank(form.name)) errors.name = "newComplaint.err.name_required";
  if (blank(form.phone)) errors.phone = "newComplaint.err.phone_required";
  else if (phoneInvalid) errors.phone = "newComplaint.err.phone_invalid";
  if (blank(form.subjectRef)) errors["subject-ref"] = "newComplaint.err.subject_ref_required";
  if (blank(form.category)) errors.category = "newComplaint.err.category_required";
  if (blank(form.demand)) errors.demand = "newComplaint.err.demand_required";
  if (blank(form.description)) errors.description = "newComplaint.err.description_required";
  let receivedAt: string | null = null;
  if (!blank(form.receivedAt)) {
    receivedAt = localInputToIso(form.receivedAt.trim());
    if (receivedAt === null) errors["received-at"] = "newComplaint.err.received_invalid";
    else if (Date.parse(receivedAt) > nowMs) errors["received-at"] = "newComplaint.err.received_future";
  }
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    input: {
      customer: {
        name: form.name.trim(),
        phone: form.phone.trim(),
        customer_id: form.customerId.trim() || null,
      },
      channel: form.channel,
      subject: { kind: form.subjectKind, reference: form.subjectRef.trim() },
      category: form.category.trim(),
      demand: form.demand.trim(),
      description: form.description.trim(),
      kind: form.kind,
      demand_class: form.demandClass,
      severity: form.severity,
      public_exposure: form.publicExposure,
      ...(receivedAt === null ? {} : { received_at: receivedAt }),
    },
    errors,
  };
}

/** The Rust side's field names (see `Complaint::record`) on the form. */
const SERVER_FIELDS: Record<string, { field: FormField; message: Key }> = {
  "customer.name": { field: "name", message: "newComplaint.err.name_required" },
  "customer.phone": { field: "phone", message: "newComplaint.err.phone_invalid" },
  "subject.reference": { field: "subject-ref", message: "newComplaint.err.subject_ref_required" },
  category: { field: "category", message: "newComplaint.err.category_required" },
  demand: { field: "demand", message: "newComplaint.err.demand_required" },
  description: { field: "description", message: "newComplaint.err.description_required" },
  received_at: { field: "received-at", message: "newComplaint.err.received_future" },
};

/** Codes whose one field error is about the text itself, not a blank field. */
const TEXT_CODES: Record<string, Key> = {
  text_too_long: "error.text_too_long",
  invalid_text: "error.invalid_text",
};

/**
 * Splits server field errors into those the form can show and the rest.
 * `code` is the error's code: for a text error (`text_too_long`,
 * `invalid_text`) the field is marked with that code's message.
 */
export function mapServerFields(
  fields: readonly FieldError[],
  code?: string,
): { errors: FormErrors; rest: FieldError[] } {
  const errors: FormErrors = {};
  const rest: FieldError[] = [];
  const textMessage = code === undefined ? undefined : TEXT_CODES[code];
  for (const f of fields) {
    const m = SERVER_FIELDS[f.field];
    if (!m) {
      rest.push(f);
      continue;
    }
    let message = textMessage ?? m.message;
    if (!textMessage && f.field === "received_at" && !f.message.includes("future")) {
      message = "newComplaint.err.received_too_old";
    }
    errors[m.field] ??= message;
  }
  return { errors, rest };
}
