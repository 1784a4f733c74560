import { describe, expect, it } from "vitest";
import { translate, type T } from "../i18n";
import { severityLabel } from "./filters";

const en: T = (k, p) => translate("en", k, p);
const zh: T = (k, p) => translate("zh-CN", k, p);

describe("severityLabel", () => {
  it("names a level in lists and adds its number on the complaint page, in both languages", () => {
    expect(severityLabel(en, 3)).toBe("High");
    expect(severityLabel(en, 3, true)).toBe("3 · High");
    expect(severityLabel(zh, 4)).toBe(translate("zh-CN", "severity.4"));
    expect(severityLabel(zh, 4, true)).toContain("4");
  });

  it("clamps levels outside 1-4", () => {
    expect(severityLabel(en, 9)).toBe(severityLabel(en, 4));
    expect(severityLabel(en, 0, true)).toBe(severityLabel(en, 1, true));
  });
});
