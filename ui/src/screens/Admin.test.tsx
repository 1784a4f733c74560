import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { AdminConfig } from "../bindings/AdminConfig";
import { api } from "../lib/api";
import { fakeSettings, renderScreen } from "../test/render";
import { Admin } from "./Admin";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const CONFIG: AdminConfig = {
  home: "server",
  version: 3,
  catalogs: {
    departments: [],
    categories: [
      {
        code: "billing",
        names: { zh_cn: "计费", en: "Billing" },
        enabled: true,
        categories: [{ code: "billing.fee", names: { zh_cn: "费用", en: "Fees" }, enabled: true, categories: [] }],
      },
    ],
    people: [{ user: "admin.li", name: "李管理" }],
  },
  policies: [],
  authority: {
    currency: "CNY",
    rules: [
      { role: "agent", kind: null, grant_minor: 5000, approve_minor: 0 },
      { role: "supervisor", kind: null, grant_minor: 50000, approve_minor: 50000 },
      { role: "manager", kind: null, grant_minor: 500000, approve_minor: 500000 },
      { role: "admin", kind: null, grant_minor: 500000, approve_minor: 5000000 },
    ],
  },
  notifications: {},
  callbacks: { retry_delay_secs: 7200, max_attempts: 3 },
  repeats: { window_days: 30, escalate_at: 3 },
  calendar_specs: {
    office: {
      timezone: "Asia/Shanghai",
      holidays: [],
      hours: { mon: [["09:00", "18:00"]] },
      overrides: {},
    },
  },
  calendars: ["24x7", "office"],
  toml: 'default_calling_code = "86"\n',
};

const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });
const admin = () =>
  renderScreen(<Admin />, {
    settings: fakeSettings({ role: "admin" }),
    route: { screen: "admin" },
    catalogs: CONFIG.catalogs,
  });

beforeEach(() => {
  vi.mocked(api.adminConfig).mockReset().mockResolvedValue(CONFIG);
  vi.mocked(api.adminSave).mockReset().mockResolvedValue(4);
  vi.mocked(api.adminVersions).mockReset().mockResolvedValue([]);
  vi.mocked(api.adminAudit).mockReset().mockResolvedValue([]);
  vi.mocked(api.adminAccounts).mockReset().mockResolvedValue([
    {
      name: "admin.li",
      kind: "person",
      role: "admin",
      approval_limit_minor: null,
      disabled: false,
      created_at: "2026-12-01T00:00:00Z",
      sessions: 1,
    },
    {
      name: "agent.wu",
      kind: "person",
      role: "agent",
      approval_limit_minor: 20000,
      disabled: false,
      created_at: "2026-12-01T00:00:00Z",
      sessions: 2,
    },
  ]);
  vi.mocked(api.adminEditAccount).mockReset().mockResolvedValue({} as never);
  vi.mocked(api.adminAddAccount).mockReset().mockResolvedValue({} as never);
  vi.mocked(api.adminSessions).mockReset().mockResolvedValue([]);
});
afterEach(cleanup);

describe("Admin", () => {
  it("is only for admins", () => {
    renderScreen(<Admin />, { settings: fakeSettings({ role: "supervisor" }), route: { screen: "admin" } });
    expect(screen.queryByTestId("admin-screen")).toBeNull();
    expect(screen.getByText("Only an admin may change the configuration.")).toBeTruthy();
  });

  it("adds a category and a resolution target and saves them onto the version read", async () => {
    admin();
    await screen.findByTestId("admin-group-billing");
    expect(screen.getByTestId("admin-home").textContent).toContain("version 3");
    expect((screen.getByTestId("admin-save") as HTMLButtonElement).disabled).toBe(true);

    type("admin-add-category-billing-code", "billing.refund");
    type("admin-add-category-billing-zh", "退款");
    type("admin-add-category-billing-en", "Refunds");
    fireEvent.click(screen.getByTestId("admin-add-category-billing-add"));
    expect(screen.getByTestId("admin-entry-billing.refund")).toBeTruthy();
    // A stray code is refused on the spot.
    type("admin-add-category-billing-code", "refund");
    type("admin-add-category-billing-zh", "退款");
    type("admin-add-category-billing-en", "Refunds");
    fireEvent.click(screen.getByTestId("admin-add-category-billing-add"));
    expect(screen.getByTestId("admin-add-category-billing-problem").textContent).toContain("billing.example");

    fireEvent.click(screen.getByTestId("tab-sla"));
    type("admin-add-policy-name", "Fast resolution");
    fireEvent.click(screen.getByTestId("admin-add-policy-add"));
    type("admin-policy-0-resolution", "4");
    type("admin-note", "refunds and a faster target");
    expect(screen.getByTestId("admin-dirty").textContent).toBe("Unsaved changes.");
    fireEvent.click(screen.getByTestId("admin-save"));

    await screen.findByTestId("admin-saved");
    expect(screen.getByTestId("admin-saved").textContent).toContain("version 4");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.base_version).toBe(3);
    expect(edit?.note).toBe("refunds and a faster target");
    expect(edit?.catalogs.categories[0]?.categories.map((c) => c.code)).toEqual(["billing.fee", "billing.refund"]);
    expect(edit?.policies[0]?.resolution).toEqual({ seconds: 14400, calendar: "24x7" });
  });

  it("offers to load the current version when someone else saved first", async () => {
    vi.mocked(api.adminSave).mockRejectedValue({ code: "config_conflict", message: "stale" });
    admin();
    await screen.findByTestId("admin-group-billing");
    fireEvent.click(screen.getByTestId("admin-enabled-billing.fee"));
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-reload");
    expect(screen.getByText(/Someone changed the configuration/)).toBeTruthy();
    fireEvent.click(screen.getByTestId("admin-reload"));
    await waitFor(() => expect(vi.mocked(api.adminConfig).mock.calls.length).toBe(2));
  });

  it("lists the audit log by display name and filters it", async () => {
    vi.mocked(api.adminAudit).mockResolvedValue([
      {
        seq: 2,
        at: "2026-12-07T08:00:00Z",
        actor: "admin.li",
        device: null,
        action: "config.put",
        subject: "config",
        before: '{"version":1}',
        after: '{"version":2}',
      },
      {
        seq: 1,
        at: "2026-12-07T07:00:00Z",
        actor: "server-admin",
        device: null,
        action: "user.add",
        subject: "agent.wu",
        before: "null",
        after: '{"role":"agent"}',
      },
    ]);
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-audit"));
    await screen.findByTestId("admin-audit");
    expect(screen.getByTestId("admin-audit-2-actor").textContent).toBe("李管理");
    expect(screen.getByText("Configuration saved")).toBeTruthy();
    expect(screen.getByTestId("admin-audit-1-actor").textContent).toBe("Server command line");
    expect(screen.getByTestId("admin-audit-2-change").textContent).toBe("version 1 → version 2");
    expect(screen.getByTestId("admin-audit-1-change").textContent).toBe("role: Agent");
    type("admin-audit-filter", "wu");
    expect(screen.queryByTestId("admin-audit-2")).toBeNull();
    expect(screen.getByTestId("admin-audit-1")).toBeTruthy();
    expect(screen.getByTestId("admin-audit-count").textContent).toBe("Shown: 1");
  });
});

describe("Admin accounts", () => {
  it("changes a role and a limit, and disables only after a confirmation", async () => {
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-people"));
    await screen.findByTestId("admin-account-agent.wu");
    // The site's display name, with the user name beside it.
    expect(screen.getByTestId("admin-account-admin.li").textContent).toContain("李管理");
    expect((screen.getByTestId("admin-account-agent.wu-limit") as HTMLInputElement).value).toBe("200");
    expect(screen.queryByTestId("admin-account-agent.wu-save")).toBeNull();
    fireEvent.change(screen.getByTestId("admin-account-agent.wu-role"), { target: { value: "supervisor" } });
    type("admin-account-agent.wu-limit", "500");
    fireEvent.click(screen.getByTestId("admin-account-agent.wu-save"));
    await screen.findByTestId("admin-people-done");
    expect(vi.mocked(api.adminEditAccount)).toHaveBeenCalledWith("agent.wu", {
      role: "supervisor",
      approval_limit_minor: 50000,
      disabled: false,
    });

    fireEvent.click(screen.getByTestId("admin-account-agent.wu-disable"));
    expect(vi.mocked(api.adminEditAccount)).toHaveBeenCalledTimes(1);
    await screen.findByTestId("admin-disable-dialog");
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await waitFor(() => expect(vi.mocked(api.adminEditAccount)).toHaveBeenCalledTimes(2));
    expect(vi.mocked(api.adminEditAccount).mock.calls[1]?.[1].disabled).toBe(true);
  });

  it("adds a person only with a password of eight characters", async () => {
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-people"));
    await screen.findByTestId("admin-add-account");
    type("admin-add-account-name", "agent.zhao");
    type("admin-add-account-password", "short");
    fireEvent.click(screen.getByTestId("admin-add-account-add"));
    expect(screen.getByText("A password has at least 8 characters.")).toBeTruthy();
    expect(vi.mocked(api.adminAddAccount)).not.toHaveBeenCalled();
    type("admin-add-account-password", "long enough");
    type("admin-add-account-display", "赵敏");
    fireEvent.click(screen.getByTestId("admin-add-account-add"));
    await screen.findByTestId("admin-people-done");
    expect(vi.mocked(api.adminAddAccount)).toHaveBeenCalledWith({
      name: "agent.zhao",
      role: "agent",
      approval_limit_minor: null,
      password: "long enough",
    });
    // The display name goes into the people catalog, on the version read.
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.base_version).toBe(3);
    expect(edit?.catalogs.people.at(-1)).toEqual({ user: "agent.zhao", name: "赵敏" });
  });

  it("says accounts live on the server on a standalone console", async () => {
    vi.mocked(api.adminConfig).mockResolvedValue({ ...CONFIG, home: "local", version: null });
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-people"));
    expect(screen.getByText(/Accounts live on the server/)).toBeTruthy();
    expect(vi.mocked(api.adminAccounts)).not.toHaveBeenCalled();
  });
});

describe("Admin authority", () => {
  it("edits limits, adds a per-type rule, and asks Rust who must approve", async () => {
    vi.mocked(api.authorityRoute)
      .mockReset()
      .mockResolvedValue({
        routing: { route: "needs_approval", required_role: "manager" },
        grant_limit_minor: 5000,
        deciding_roles: ["manager", "admin"],
        highest_limit_minor: 5000000,
      });
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-authority"));
    await screen.findByTestId("admin-route-answer");
    await waitFor(() =>
      expect(screen.getByTestId("admin-route-answer").textContent).toBe(
        "Needs approval by a Manager. May decide: Manager, Administrator.",
      ),
    );
    type("admin-route-amount", "2000");
    await waitFor(() => expect(vi.mocked(api.authorityRoute).mock.calls.at(-1)?.[3]).toBe(200000));
    expect(vi.mocked(api.authorityRoute).mock.calls.at(-1)?.[1]).toBe("agent");

    type("admin-authority-agent-grant", "80");
    fireEvent.change(screen.getByTestId("admin-authority-new-kind"), { target: { value: "fee_waiver" } });
    fireEvent.click(screen.getByTestId("admin-authority-add"));
    expect(screen.getByTestId("admin-authority-override-supervisor-fee_waiver")).toBeTruthy();
    // The check follows the matrix as edited, before it is saved.
    await waitFor(() =>
      expect(vi.mocked(api.authorityRoute).mock.calls.at(-1)?.[0].rules[0]?.grant_minor).toBe(8000),
    );
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.authority.rules[0]).toEqual({ role: "agent", kind: null, grant_minor: 8000, approve_minor: 0 });
    expect(edit?.authority.rules.at(-1)).toEqual({
      role: "supervisor",
      kind: "fee_waiver",
      grant_minor: 50000,
      approve_minor: 50000,
    });
  });
});

describe("Admin quiet hours", () => {
  it("sets the site's working calendar and a person's own", async () => {
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-sla"));
    const site = screen.getByTestId("admin-quiet-calendar") as HTMLSelectElement;
    expect(site.value).toBe("");
    // 24x7 never waits, so it is not offered.
    expect([...site.options].map((o) => o.value)).toEqual(["", "office"]);
    fireEvent.change(site, { target: { value: "office" } });
    fireEvent.click(screen.getByTestId("tab-catalogs"));
    fireEvent.change(screen.getByTestId("admin-person-admin.li-calendar"), { target: { value: "office" } });
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.notifications).toEqual({ quiet_calendar: "office" });
    expect(edit?.catalogs.people[0]).toEqual({ user: "admin.li", name: "李管理", calendar: "office" });
  });
});

describe("Admin calendars", () => {
  it("edits a weekday, imports holidays from iCalendar and adds a calendar", async () => {
    vi.mocked(api.importIcal)
      .mockReset()
      .mockResolvedValue({ holidays: ["2026-10-01", "2026-10-02"], working_days: ["2026-09-27"], skipped: 1 });
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-calendars"));
    await screen.findByTestId("admin-calendar-office");
    type("admin-calendar-office-sat", "10:00-16:00");
    type("admin-calendar-office-tue", "nine to five");
    expect(screen.getByText(/Not in this field's format yet/)).toBeTruthy();
    type("admin-calendar-office-tue", "09:00-12:00, 13:00-18:00");

    fireEvent.click(screen.getByTestId("admin-calendar-office-import"));
    type("admin-ical-text", "BEGIN:VCALENDAR");
    fireEvent.click(screen.getByTestId("dialog-confirm"));
    await screen.findByTestId("admin-ical-done");
    expect(screen.getByTestId("admin-ical-done").textContent).toContain("2 holidays and 1 make-up working days");
    expect((screen.getByTestId("admin-calendar-office-holidays") as HTMLTextAreaElement).value).toBe(
      "2026-10-01\n2026-10-02",
    );

    type("admin-add-calendar-id", "night");
    type("admin-add-calendar-timezone", "Asia/Shanghai");
    fireEvent.click(screen.getByTestId("admin-add-calendar-add"));
    expect(screen.getByTestId("admin-calendar-night")).toBeTruthy();
    // The new calendar can be picked on the SLA tab before it is saved.
    fireEvent.click(screen.getByTestId("tab-sla"));
    const quiet = screen.getByTestId("admin-quiet-calendar") as HTMLSelectElement;
    expect([...quiet.options].map((o) => o.value)).toEqual(["", "office", "night"]);

    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.calendars.office?.hours.sat).toEqual([["10:00", "16:00"]]);
    expect(edit?.calendars.office?.hours.tue).toEqual([
      ["09:00", "12:00"],
      ["13:00", "18:00"],
    ]);
    expect(edit?.calendars.office?.overrides).toEqual({ "2026-09-27": [["09:00", "18:00"]] });
    expect(edit?.calendars.night?.timezone).toBe("Asia/Shanghai");
  });
});

describe("Admin enumerated catalogs", () => {
  it("names the channels for the site and takes one out of use", async () => {
    admin();
    await screen.findByTestId("admin-enum-channels");
    fireEvent.click(screen.getByTestId("admin-enum-channels-name"));
    const row = screen.getByTestId("admin-entry-walk_in");
    const inputs = row.querySelectorAll("input");
    expect((inputs[0] as HTMLInputElement).value).toBe("到店");
    expect((inputs[1] as HTMLInputElement).value).toBe("Walk-in");
    fireEvent.change(inputs[0]!, { target: { value: "营业厅" } });
    fireEvent.click(screen.getByTestId("admin-enabled-email"));
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const channels = vi.mocked(api.adminSave).mock.calls[0]?.[0].catalogs.channels ?? [];
    expect(channels).toHaveLength(7);
    expect(channels.find((c) => c.code === "walk_in")?.names.zh_cn).toBe("营业厅");
    expect(channels.find((c) => c.code === "email")?.enabled).toBe(false);
  });
});

describe("Admin policy matches", () => {
  it("limits a policy to some complaints, sets its warnings, and the callback and repeat settings", async () => {
    admin();
    await screen.findByTestId("admin-home");
    fireEvent.click(screen.getByTestId("tab-sla"));
    type("admin-add-policy-name", "Angry customers");
    fireEvent.click(screen.getByTestId("admin-add-policy-add"));
    fireEvent.click(screen.getByTestId("admin-policy-0-kind-emotion_driven"));
    fireEvent.click(screen.getByTestId("admin-policy-0-severity-4"));
    fireEvent.click(screen.getByTestId("admin-policy-0-channel-social_media"));
    fireEvent.change(screen.getByTestId("admin-policy-0-category"), { target: { value: "billing" } });
    fireEvent.change(screen.getByTestId("admin-policy-0-public"), { target: { value: "true" } });
    type("admin-policy-0-warn", "90, 50");
    type("admin-policy-0-first_response", "0.5");
    expect(screen.getByTestId("admin-policy-0").textContent).toContain("some complaints");
    type("admin-callback-retry", "1.5");
    type("admin-repeat-window", "60");
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    const p = edit?.policies[0];
    expect(p?.when).toEqual({
      kinds: ["emotion_driven"],
      severities: [4],
      channels: ["social_media"],
      category_prefix: "billing",
      public_exposure: true,
    });
    expect(p?.warn_at_permille).toEqual([500, 900]);
    expect(p?.first_response).toEqual({ seconds: 1800, calendar: "24x7" });
    expect(edit?.callbacks).toEqual({ retry_delay_secs: 5400, max_attempts: 3 });
    expect(edit?.repeats).toEqual({ window_days: 60, escalate_at: 3 });
  });

  it("reads warning percentages", async () => {
    const { parsePercents } = await import("./AdminPolicy");
    expect(parsePercents("")).toBeNull();
    expect(parsePercents("75")).toEqual([750]);
    expect(parsePercents("90，50 90")).toEqual([500, 900]);
    expect(parsePercents("100")).toBeUndefined();
    expect(parsePercents("half")).toBeUndefined();
  });
});

describe("Admin scheduled versions", () => {
  it("sends the instant a version comes into force, and says so", async () => {
    admin();
    await screen.findByTestId("admin-group-billing");
    fireEvent.click(screen.getByTestId("admin-enabled-billing.fee"));
    type("admin-effective", "2026-12-14T08:00");
    fireEvent.click(screen.getByTestId("admin-save"));
    await screen.findByTestId("admin-saved");
    const edit = vi.mocked(api.adminSave).mock.calls[0]?.[0];
    expect(edit?.effective_from).toBe(new Date("2026-12-14T08:00").toISOString());
    expect(screen.getByTestId("admin-saved").textContent).toContain("comes into force");
  });

  it("has no effective-from on a standalone console", async () => {
    vi.mocked(api.adminConfig).mockResolvedValue({ ...CONFIG, home: "local", version: null });
    admin();
    await screen.findByTestId("admin-group-billing");
    expect(screen.queryByTestId("admin-effective")).toBeNull();
  });
});
