import { describe, expect, it } from "vitest";
import type { Catalogs } from "../bindings/Catalogs";
import { catalogName, categoryPath } from "./names";

const entry = (code: string, zh_cn: string, en: string) => ({ code, names: { zh_cn, en }, enabled: true, categories: [] });

const SITE: Catalogs = {
  departments: [entry("billing", "计费结算中心", "Billing")],
  categories: [{ ...entry("broadband", "宽带", "Broadband"), categories: [entry("broadband.dropout", "宽带掉线", "Line drops")] }],
  people: [],
};

describe("names", () => {
  it("names an entry in the chosen language", () => {
    expect(catalogName(SITE, "department", "billing", "zh-CN")).toBe("计费结算中心");
    expect(catalogName(SITE, "department", "billing", "en")).toBe("Billing");
    expect(categoryPath(SITE, "broadband.dropout", "zh-CN")).toBe("宽带 / 宽带掉线");
    expect(categoryPath(SITE, "broadband.dropout", "en")).toBe("Broadband / Line drops");
  });

  it("shows a code the catalog does not name as it is", () => {
    expect(catalogName(SITE, "department", "quality", "en")).toBe("quality");
    expect(categoryPath(SITE, "indoor_air.odor", "zh-CN")).toBe("indoor_air.odor");
    expect(categoryPath({ departments: [], categories: [], people: [] }, "broadband.dropout", "en")).toBe("broadband.dropout");
  });
});

describe("enumerated catalogs", () => {
  it("offers the site's enabled entries in its order, or every code without a catalog", async () => {
    const { enumChoices } = await import("./names");
    const all = ["phone", "email", "app"] as const;
    const empty = { departments: [], categories: [], people: [] };
    expect(enumChoices(empty, "channels", all)).toEqual(["phone", "email", "app"]);
    const site = {
      ...empty,
      channels: [
        { code: "app", names: { zh_cn: "手机 App", en: "App" }, enabled: true, categories: [] },
        { code: "email", names: { zh_cn: "邮件", en: "Email" }, enabled: false, categories: [] },
        { code: "phone", names: { zh_cn: "热线", en: "Hotline" }, enabled: true, categories: [] },
      ],
    };
    expect(enumChoices(site, "channels", all)).toEqual(["app", "phone"]);
  });
});
