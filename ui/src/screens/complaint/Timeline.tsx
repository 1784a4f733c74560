// The complaint's timeline: every accepted step, who took it and when, as one
// translated sentence per event (plus its free text, when it has one).
import { useNames } from "../../lib/names";
import type { Complaint } from "../../bindings/Complaint";
import type { Routing } from "../../bindings/Routing";
import type { TimelineEvent } from "../../bindings/TimelineEvent";
import { Panel } from "../../components/Panel";
import { TableHead } from "../../components/TableHead";
import { useI18n, type Lang, type T } from "../../i18n";
import { formatMoney } from "../../lib/money";
import { formatDateTime } from "../../lib/time";
import {
  approvalRemedyNo,
  assignee,
  callbackOutcomeLabel,
  clockName,
  CURRENCY,
  remedyNo,
} from "./labels";

export interface Described {
  text: string;
  /** Free text that came with the step (a note, a reason). */
  detail?: string;
}

function routingText(t: T, r: Routing): string {
  return r.route === "auto_approved"
    ? t("complaint.ev.routing_auto")
    : t("complaint.ev.routing_needs", { role: t(`role.${r.required_role}`) });
}

function money(minor: number, currency: string, lang: Lang): string {
  return formatMoney({ amount_minor: minor, currency }, lang);
}

/** One timeline event as a sentence in the user's language. */
/** What names departments and people (the site catalog, in the current language). */
type Names = Pick<ReturnType<typeof useNames>, "department" | "person" | "remedy" | "invalid">;

export function describeEvent(t: T, lang: Lang, ev: TimelineEvent, c: Complaint, names: Names): Described {
  const currency = c.remedies[0]?.amount.currency ?? CURRENCY;
  const note = (s: string | null | undefined) => (s && s.trim() ? { detail: s } : {});
  switch (ev.event) {
    case "recorded":
      return {
        text:
          ev.repeat_ordinal != null
            ? t("complaint.ev.recorded_repeat", { ordinal: ev.repeat_ordinal })
            : t("complaint.ev.recorded"),
      };
    case "state_changed":
      return {
        text: t("complaint.ev.state_changed", { from: t(`state.${ev.from}`), to: t(`state.${ev.to}`) }),
      };
    case "judged":
      return {
        text: ev.valid
          ? t("complaint.ev.judged_valid")
          : t("complaint.ev.judged_invalid", {
              reason: ev.reason ? names.invalid(ev.reason) : t("common.none"),
            }),
        ...note(ev.note),
      };
    case "assigned": {
      const to = assignee(ev.department, ev.owner, names);
      const from = assignee(ev.previous_department, ev.previous_owner, names);
      return { text: from ? t("complaint.ev.reassigned", { from, to }) : t("complaint.ev.assigned", { to }) };
    }
    case "root_cause_set":
      return {
        text: t("complaint.ev.root_cause", {
          categories: ev.categories.map((r) => t(`root.${r}`)).join(", "),
        }),
        ...note(ev.note),
      };
    case "progress_added": {
      const update = c.progress.find((p) => p.id === ev.update);
      return {
        text: ev.customer_informed ? t("complaint.ev.progress_informed") : t("complaint.ev.progress_internal"),
        ...note(update?.text),
      };
    }
    case "remedy_proposed":
      return {
        text: t("complaint.ev.with_routing", {
          event: t("complaint.ev.remedy_proposed", {
            n: remedyNo(c, ev.remedy),
            kind: names.remedy(ev.kind),
            total: money(ev.total_minor, currency, lang),
          }),
          routing: routingText(t, ev.routing),
        }),
      };
    case "remedy_revised":
      return {
        text: t("complaint.ev.with_routing", {
          event: t("complaint.ev.remedy_revised", {
            n: remedyNo(c, ev.remedy),
            revision: ev.revision,
            total: money(ev.total_minor, currency, lang),
          }),
          routing: routingText(t, ev.routing),
        }),
        ...note(ev.note),
      };
    case "approval_requested":
      return {
        text: t("complaint.ev.approval_requested", { n: remedyNo(c, ev.remedy), revision: ev.revision }),
      };
    case "approval_superseded":
      return { text: t("complaint.ev.approval_superseded", { n: approvalRemedyNo(c, ev.approval) }) };
    case "approval_decided":
      return {
        text: t(ev.approved ? "complaint.ev.approval_approved" : "complaint.ev.approval_rejected", {
          n: approvalRemedyNo(c, ev.approval),
        }),
        ...note(ev.reason),
      };
    case "remedy_implemented":
      return { text: t("complaint.ev.remedy_implemented", { n: remedyNo(c, ev.remedy) }), ...note(ev.note) };
    case "resolved":
      return { text: t("complaint.ev.resolved"), ...note(ev.note) };
    case "callback_attempted":
      return {
        text: t("complaint.ev.callback", { number: ev.number, outcome: callbackOutcomeLabel(t, ev.outcome) }),
        ...note(ev.note),
      };
    case "reviewed":
      return { text: t("complaint.ev.reviewed") };
    case "closed":
      return { text: t("complaint.ev.closed"), ...note(ev.note) };
    case "reopened":
      return { text: t("complaint.ev.reopened", { from: t(`state.${ev.from}`) }), ...note(ev.reason) };
    case "clock_paused":
      return {
        text: t(ev.breached_at ? "complaint.ev.clock_paused_breached" : "complaint.ev.clock_paused", {
          clock: clockName(t, c, ev.clock),
          reason: t(`pause.${ev.reason}`),
        }),
        ...note(ev.note),
      };
    case "clock_resumed":
      return { text: t("complaint.ev.clock_resumed", { clock: clockName(t, c, ev.clock) }) };
    case "clock_cycle_ended":
      return {
        text: t("complaint.ev.cycle_ended", {
          clock: clockName(t, c, ev.clock),
          cycle: ev.cycle,
          outcome: t(`outcome.${ev.outcome}`),
        }),
      };
  }
}

export function Timeline({ complaint }: { complaint: Complaint }) {
  const { t, lang } = useI18n();
  const names = useNames();
  return (
    <Panel id="timeline" title={t("complaint.section.timeline")}>
      <table className="table" data-testid="timeline">
        <TableHead columns={["complaint.col.when", "complaint.col.who", "complaint.col.what"]} />
        <tbody>
          {complaint.timeline.map((entry, i) => {
            const d = describeEvent(t, lang, entry.event, complaint, names);
            return (
              <tr key={i} data-testid="timeline-entry" data-event={entry.event.event}>
                <td className="muted">
                  <time dateTime={entry.at}>{formatDateTime(entry.at, lang)}</time>
                </td>
                <td>{names.person(entry.actor)}</td>
                <td>
                  {d.text}
                  {d.detail && (
                    <div className="muted" style={{ whiteSpace: "pre-wrap" }}>
                      {d.detail}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}
