// The fixed choices the step dialogs offer, in the order they are shown.
import type { InvalidReason } from "../../bindings/InvalidReason";
import type { PauseReason } from "../../bindings/PauseReason";
import type { RemedyKind } from "../../bindings/RemedyKind";
import type { RootCause } from "../../bindings/RootCause";

export const INVALID_REASONS: readonly InvalidReason[] = [
  "misunderstanding",
  "outside_policy",
  "duplicate",
  "not_our_service",
  "other",
];
export const ROOT_CAUSES: readonly RootCause[] = [
  "process",
  "people",
  "system",
  "management",
  "knowledge_base",
  "product",
  "customer_misunderstanding",
];
export const REMEDY_KINDS: readonly RemedyKind[] = [
  "refund",
  "replacement",
  "repair",
  "discount",
  "compensation_payment",
  "fee_waiver",
  "voucher",
  "service_upgrade",
  "apology_only",
];
export const PAUSE_REASONS: readonly PauseReason[] = ["waiting_on_customer", "waiting_on_third_party", "other"];
