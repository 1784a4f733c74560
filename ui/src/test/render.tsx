// Rendering a screen the way the app shell does: inside the language provider
// and the shell context, with settings that saving really applies (language
// included), but no real navigation.
import { render, type RenderResult } from "@testing-library/react";
import { useState, type ReactElement } from "react";
import { vi, type Mock } from "vitest";
import type { Catalogs } from "../bindings/Catalogs";
import type { Settings } from "../bindings/Settings";
import { I18nProvider, type Lang } from "../i18n";
import { ShellCtx, type Route, type Shell } from "../lib/context";

/** An agent with every reminder kind switched on and English as language. */
export function fakeSettings(over: Partial<Settings> = {}): Settings {
  return {
    user: "u1",
    display_name: "Agent One",
    role: "agent",
    approval_limit_minor: null,
    language: "en",
    notify: {
      progress_due: true,
      sla_warning: true,
      sla_breach: true,
      approval_waiting: true,
      callback_due: true,
      summary_over: 5,
    },
    ...over,
  };
}

export interface ScreenOptions {
  settings?: Settings;
  /** The site's catalogs; empty unless given. */
  catalogs?: Catalogs;
  /** The UI language; by default the one in the settings. */
  lang?: Lang;
  route?: Route;
  /** Receives navigation; a fresh mock unless given. */
  go?: Shell["go"];
  /** Called with what the screen saves, before the shell applies it. */
  save?: (s: Settings) => Promise<void>;
}

export interface RenderedScreen extends RenderResult {
  go: Shell["go"];
  save: Mock<(s: Settings) => Promise<void>>;
}

export function renderScreen(ui: ReactElement, options: ScreenOptions = {}): RenderedScreen {
  const go = options.go ?? vi.fn();
  const save = vi.fn(options.save ?? (async () => {}));
  const route = options.route ?? { screen: "dashboard" };
  function Harness() {
    const [settings, setSettings] = useState(options.settings ?? fakeSettings());
    const shell: Shell = {
      settings,
      catalogs: options.catalogs ?? { departments: [], categories: [], people: [] },
      route,
      go,
      saveSettings: async (s) => {
        await save(s);
        setSettings(s);
      },
    };
    return (
      <I18nProvider lang={options.lang ?? settings.language}>
        <ShellCtx.Provider value={shell}>{ui}</ShellCtx.Provider>
      </I18nProvider>
    );
  }
  return { ...render(<Harness />), go, save };
}
