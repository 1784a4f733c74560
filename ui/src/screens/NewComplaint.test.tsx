import { fireEvent, screen, waitFor } from "@testing-library/react";
import type { ComplaintDraft } from "../bindings/ComplaintDraft";
import { api } from "../lib/api";
import { fakeSettings, renderScreen } from "../test/render";
import { NewComplaint } from "./NewComplaint";
import type { IntakeLookup } from "../bindings/IntakeLookup";
import { mapServerFields, validateNewComplaint, EMPTY_FORM } from "./complaint/newComplaintForm";

vi.mock("../lib/api", async (importOriginal) => (await import("../test/api")).mockApi(await importOriginal()));

const recordMock = vi.mocked(api.recordComplaint);
const lookupMock = vi.mocked(api.intakeLookup);

/** The Rust side's answer for a valid mobile, with the given complaints. */
function valid(complaints: IntakeLookup["complaints"] = []): IntakeLookup {
  return {
    phone: { e164: "+8613800138000", display: "138 0013 8000", kind: "mobile" },
    complaints,
    window_days: 30,
  };
}
const go = vi.fn();

function renderForm() {
  const settings = fakeSettings({ user: "agent.li", display_name: "Li" });
  return renderScreen(<NewComplaint />, { settings, route: { screen: "new" }, go });
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.change(screen.getByTestId(id), { target: { value } });

function fillValid() {
  type("nc-name", " 王芳 ");
  type("nc-phone", "138-0013-8000");
  type("nc-subject-ref", "SO-2026-88");
  type("nc-category", "billing.fee");
  type("nc-demand", "Refund the second charge");
  type("nc-description", "Charged twice for March.");
}

beforeEach(() => {
  recordMock.mockReset();
  lookupMock.mockReset();
  lookupMock.mockResolvedValue(valid());
  go.mockReset();
});

describe("NewComplaint", () => {
  it("picks the category from the site's catalog by name, in the chosen language", () => {
    const entry = (code: string, zh_cn: string, en: string, enabled = true) => ({
      code,
      names: { zh_cn, en },
      enabled,
      categories: [],
    });
    const catalogs = {
      departments: [],
      categories: [
        {
          ...entry("billing", "计费", "Billing"),
          categories: [entry("billing.fee", "收费争议", "Fee dispute"), entry("billing.fax", "传真费", "Fax fees", false)],
        },
        { ...entry("paging", "寻呼", "Paging", false), categories: [entry("paging.lost", "丢失", "Lost")] },
      ],
      people: [],
    };
    const settings = fakeSettings({ user: "agent.li", display_name: "Li", language: "zh-CN" });
    renderScreen(<NewComplaint />, { settings, catalogs, route: { screen: "new" }, go });
    const picker = screen.getByTestId("nc-category") as HTMLSelectElement;
    expect(picker.tagName).toBe("SELECT");
    const offered = [...picker.querySelectorAll("optgroup")].map((g) => [
      g.label,
      [...g.querySelectorAll("option")].map((o) => `${o.value}=${o.textContent}`),
    ]);
    // Disabled entries (and groups) are not offered.
    expect(offered).toEqual([["计费", ["billing.fee=收费争议"]]]);
    recordMock.mockReturnValue(new Promise(() => {}));
    fillValid();
    fireEvent.click(screen.getByTestId("nc-submit"));
    expect(recordMock.mock.calls[0]![0].category).toBe("billing.fee");
  });

  it("starts with sensible defaults", () => {
    renderForm();
    expect(input("nc-channel").value).toBe("phone");
    expect(input("nc-kind").value).toBe("demand_driven");
    expect(input("nc-severity").value).toBe("2");
    expect(input("nc-demand-class").value).toBe("immediate_fix");
    expect(input("nc-subject-kind").value).toBe("order");
    expect(input("nc-public").checked).toBe(false);
  });

  it("explains every missing field and does not call Rust for an empty form", () => {
    renderForm();
    fireEvent.click(screen.getByTestId("nc-submit"));
    const expected: Record<string, string> = {
      name: "Enter the customer's name.",
      phone: "Enter a phone number.",
      "subject-ref": "Say what the complaint is about (order number, product, ...).",
      category: "Enter a category.",
      demand: "Enter what the customer asks for.",
      description: "Describe what happened.",
    };
    for (const [field, message] of Object.entries(expected)) {
      const err = screen.getByTestId(`nc-error-${field}`);
      expect(err.textContent).toBe(message);
      expect(err.className).toContain("field-error");
      expect(input(`nc-${field}`).getAttribute("aria-invalid")).toBe("true");
      expect(input(`nc-${field}`).getAttribute("aria-describedby")).toBe(`nc-error-${field}`);
    }
    expect(screen.queryByTestId("nc-error-customer-id")).toBeNull();
    expect(screen.queryByTestId("nc-error-received-at")).toBeNull();
    expect(recordMock).not.toHaveBeenCalled();
    // The first field in error gets the focus.
    expect(document.activeElement).toBe(screen.getByTestId("nc-name"));

    // Fixing a field clears its message.
    type("nc-name", "王芳");
    expect(screen.queryByTestId("nc-error-name")).toBeNull();
  });

  it("refuses a phone the Rust side says is not one, and a time in the future", async () => {
    lookupMock.mockImplementation(async (q) => ({ ...valid(), phone: q.phone === "123" ? null : valid().phone }));
    renderForm();
    fillValid();
    type("nc-phone", "123");
    // The hint follows the lookup a moment after typing stops.
    expect((await screen.findByTestId("nc-hint-phone")).textContent).toBe("Not a valid phone number yet.");
    expect(lookupMock).toHaveBeenLastCalledWith({ phone: "123", customer_id: null });
    type("nc-received-at", "2999-01-01T10:00");
    fireEvent.click(screen.getByTestId("nc-submit"));
    expect(screen.getByTestId("nc-error-phone").textContent).toContain("Not a valid phone number");
    expect(screen.getByTestId("nc-error-received-at").textContent).toBe("The time received cannot be in the future.");
    expect(recordMock).not.toHaveBeenCalled();

    // A valid number: its line type and how it reads.
    type("nc-phone", "13800138000");
    await waitFor(() => expect(screen.getByTestId("nc-hint-phone").textContent).toBe("Mobile · 138 0013 8000"));
    expect(screen.queryByTestId("nc-error-phone")).toBeNull();
  });

  it("shows the customer's open and recent complaints while recording", async () => {
    lookupMock.mockResolvedValue(
      valid([
        {
          id: "c-1",
          number: "TS-2026-000285",
          state: "assigned",
          open: true,
          received_at: "2026-11-20T02:00:00Z",
          category: "broadband.dropout",
          demand: "Fix the line",
          by_customer_id: false,
        },
        {
          id: "c-2",
          number: "TS-2026-000101",
          state: "closed",
          open: false,
          received_at: "2026-11-02T02:00:00Z",
          category: "billing.fee",
          demand: "Refund",
          by_customer_id: true,
        },
      ]),
    );
    renderForm();
    expect(screen.queryByTestId("intake-history")).toBeNull();
    type("nc-phone", "138 0013 8000");
    type("nc-customer-id", "CIF-42");
    const history = await screen.findByTestId("intake-history");
    expect(lookupMock).toHaveBeenLastCalledWith({ phone: "138 0013 8000", customer_id: "CIF-42" });
    expect(history.textContent).toContain("the last 30 days");
    expect(screen.getByTestId("intake-open-warning").textContent).toContain("1 still open");
    const rows = screen.getAllByTestId("intake-complaint");
    expect(rows.map((r) => r.getAttribute("data-number"))).toEqual(["TS-2026-000285", "TS-2026-000101"]);
    expect(rows[0]!.textContent).toContain("Fix the line");
    expect(rows[0]!.textContent).toContain("same phone");
    expect(rows[1]!.textContent).toContain("same customer ID");
  });

  it("records a valid complaint and opens it", async () => {
    let resolve: (id: string) => void = () => {};
    recordMock.mockReturnValue(new Promise<string>((r) => (resolve = r)));
    renderForm();
    fillValid();
    type("nc-customer-id", "C-42");
    type("nc-channel", "email");
    type("nc-subject-kind", "product");
    type("nc-kind", "compound");
    type("nc-demand-class", "emotional_compensation");
    type("nc-severity", "4");
    type("nc-received-at", "2026-03-02T09:30");
    fireEvent.click(screen.getByTestId("nc-public"));
    fireEvent.click(screen.getByTestId("nc-submit"));

    expect(recordMock).toHaveBeenCalledTimes(1);
    const expected: ComplaintDraft = {
      customer: { name: "王芳", phone: "138-0013-8000", customer_id: "C-42" },
      channel: "email",
      subject: { kind: "product", reference: "SO-2026-88" },
      category: "billing.fee",
      demand: "Refund the second charge",
      description: "Charged twice for March.",
      kind: "compound",
      demand_class: "emotional_compensation",
      severity: 4,
      public_exposure: true,
      // The local wall-clock time, as an instant.
      received_at: new Date(2026, 2, 2, 9, 30).toISOString().replace(".000Z", "Z"),
    };
    expect(recordMock.mock.calls[0]![0]).toEqual(expected);

    // While Rust works the button says so and cannot be pressed again.
    const submit = screen.getByTestId("nc-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    expect(submit.textContent).toBe("Working…");
    fireEvent.click(submit);
    expect(recordMock).toHaveBeenCalledTimes(1);

    resolve("new-id-1");
    await waitFor(() => expect(go).toHaveBeenCalledWith({ screen: "complaint", id: "new-id-1" }));
  });

  it("sends no time received when none is given, on Ctrl+Enter", async () => {
    recordMock.mockResolvedValue("new-id-2");
    renderForm();
    fillValid();
    fireEvent.keyDown(screen.getByTestId("nc-description"), { key: "Enter", ctrlKey: true });
    expect(recordMock).toHaveBeenCalledTimes(1);
    expect(recordMock.mock.calls[0]![0]).not.toHaveProperty("received_at");
    expect(recordMock.mock.calls[0]![0]).toMatchObject({
      channel: "phone",
      severity: 2,
      customer: { customer_id: null },
    });
    await waitFor(() => expect(go).toHaveBeenCalledWith({ screen: "complaint", id: "new-id-2" }));
  });

  it("puts the Rust side's field errors next to their fields and keeps what was typed", async () => {
    recordMock.mockRejectedValue({
      code: "validation_failed",
      message: "validation failed",
      transient: false,
      fields: [
        { field: "customer.phone", message: "not a valid phone number" },
        { field: "received_at", message: "lies in the future" },
        { field: "number", message: "must not be empty" },
      ],
    });
    renderForm();
    fillValid();
    fireEvent.click(screen.getByTestId("nc-submit"));

    expect((await screen.findByTestId("nc-error-phone")).textContent).toContain("Not a valid phone number");
    expect(input("nc-phone").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("nc-error-received-at").textContent).toBe("The time received cannot be in the future.");
    const banner = screen.getByTestId("error");
    expect(banner.textContent).toContain("Some fields need attention.");
    expect(banner.textContent).toContain("number");
    expect(banner.textContent).not.toContain("customer.phone");
    expect(go).not.toHaveBeenCalled();

    expect(input("nc-name").value).toBe(" 王芳 ");
    expect(input("nc-phone").value).toBe("138-0013-8000");
    expect(input("nc-description").value).toBe("Charged twice for March.");
    const submit = screen.getByTestId("nc-submit") as HTMLButtonElement;
    expect(submit.disabled).toBe(false);
    expect(submit.textContent).toBe("Record complaint");

    // Editing the phone clears the server's complaint about it.
    type("nc-phone", "13800138000");
    expect(screen.queryByTestId("nc-error-phone")).toBeNull();
  });
});

describe("new-complaint form rules", () => {
  it("maps known server fields and leaves the rest", () => {
    const { errors, rest } = mapServerFields([
      { field: "customer.name", message: "must not be empty" },
      { field: "subject.reference", message: "must not be empty" },
      { field: "number", message: "must not be empty" },
    ]);
    expect(errors).toEqual({
      name: "newComplaint.err.name_required",
      "subject-ref": "newComplaint.err.subject_ref_required",
    });
    expect(rest).toEqual([{ field: "number", message: "must not be empty" }]);
  });

  it("marks a text error on its field with the text message", () => {
    const long = mapServerFields(
      [{ field: "description", message: "description is 10001 characters long; at most 10000 are allowed" }],
      "text_too_long",
    );
    expect(long.errors).toEqual({ description: "error.text_too_long" });
    const bad = mapServerFields([{ field: "customer.name", message: "bad" }], "invalid_text");
    expect(bad.errors).toEqual({ name: "error.invalid_text" });
  });

  it("tells a time received too long ago from one in the future", () => {
    const old = mapServerFields(
      [{ field: "received_at", message: "lies more than 30 days in the past" }],
      "validation_failed",
    );
    expect(old.errors).toEqual({ "received-at": "newComplaint.err.received_too_old" });
    const future = mapServerFields([{ field: "received_at", message: "lies in the future" }], "validation_failed");
    expect(future.errors).toEqual({ "received-at": "newComplaint.err.received_future" });
  });

  it("refuses a malformed time received", () => {
    const form = {
      ...EMPTY_FORM,
      name: "a",
      phone: "123",
      subjectRef: "x",
      category: "c",
      demand: "d",
      description: "e",
      receivedAt: "2026-13",
    };
    expect(validateNewComplaint(form, Date.now()).errors).toEqual({
      "received-at": "newComplaint.err.received_invalid",
    });
    const input = validateNewComplaint({ ...form, receivedAt: "" }, Date.now()).input;
    expect(input).not.toBeNull();
    expect(input).not.toHaveProperty("received_at");
  });
});
