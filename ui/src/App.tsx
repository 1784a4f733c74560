import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { AppError } from "./bindings/AppError";
import type { Catalogs } from "./bindings/Catalogs";
import type { Settings } from "./bindings/Settings";
import { ErrorBanner, Loading } from "./components/Status";
import { I18nProvider, translate } from "./i18n";
import { NavBar, navFor } from "./components/NavBar";
import { api, onChanged, onOpen, onSyncStatus, toAppError } from "./lib/api";
import { publishChanged, subscribeChanged } from "./lib/changes";
import { ShellCtx, type Route, type Shell } from "./lib/context";
import { publishSyncStatus } from "./lib/sync";
import { Admin } from "./screens/Admin";
import { Approvals } from "./screens/Approvals";
import { Callbacks } from "./screens/Callbacks";
import { ComplaintDetail } from "./screens/ComplaintDetail";
import { Dashboard } from "./screens/Dashboard";
import { NewComplaint } from "./screens/NewComplaint";
import { Reminders } from "./screens/Reminders";
import { Settings as SettingsScreen } from "./screens/Settings";
import { SignIn } from "./screens/SignIn";
import { SyncIssues } from "./screens/SyncIssues";
import { WhoAmI } from "./screens/WhoAmI";


function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "dashboard":
      return <Dashboard />;
    case "approvals":
      return <Approvals />;
    case "callbacks":
      return <Callbacks />;
    case "reminders":
      return <Reminders />;
    case "new":
      return <NewComplaint />;
    case "settings":
      return <SettingsScreen />;
    case "admin":
      return <Admin />;
    case "signin":
      return <SignIn />;
    case "sync_issues":
      return <SyncIssues />;
    case "complaint":
      return <ComplaintDetail key={route.id} id={route.id} />;
  }
}

export function App() {
  const [settings, setSettings] = useState<Settings>();
  const [catalogs, setCatalogs] = useState<Catalogs>({ departments: [], categories: [], people: [] });
  const [error, setError] = useState<AppError>();
  const [route, setRoute] = useState<Route>({ screen: "dashboard" });
  // The keyboard handler is set up once; it reads the current role here.
  const settingsRef = useRef<Settings | undefined>(undefined);
  settingsRef.current = settings;

  // A fresh standalone console asks who is at the keyboard before anything.
  const [firstRun, setFirstRun] = useState(false);

  // Reads overlap (a save's own "changed" event, the next save): only the
  // latest answer counts, so an older read never puts back older settings.
  const loads = useRef(0);
  const loadSettings = useCallback(() => {
    const mine = ++loads.current;
    Promise.all([api.settings(), api.identityStatus(), api.catalogs()])
      .then(([s, identity, c]) => {
        if (mine !== loads.current) return;
        setSettings(s);
        setCatalogs(c);
        setFirstRun(identity.first_run);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine === loads.current) setError(toAppError(e));
      });
  }, []);

  useEffect(() => {
    loadSettings();
    const un = onChanged(publishChanged);
    const unSync = onSyncStatus(publishSyncStatus);
    // A notification's click or a tray entry.
    const unOpen = onOpen((o) => {
      if (o.screen !== "console") setRoute(o);
    });
    // New rules (the server's, or this console's own) change every screen,
    // catalogs included.
    const off = subscribeChanged((c) => {
      if (c.settings || c.all) loadSettings();
    });
    return () => {
      off();
      void un.then((f) => f());
      void unSync.then((f) => f());
      void unOpen.then((f) => f());
    };
  }, [loadSettings]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && /^[1-9]$/.test(e.key)) {
        const item = navFor(settingsRef.current?.role)[Number(e.key) - 1];
        if (item) {
          e.preventDefault();
          setRoute({ screen: item.screen });
        }
        return;
      }
      if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "n" || e.key === "N") {
        e.preventDefault();
        setRoute({ screen: "new" });
      } else if (e.key === "/") {
        const search = document.querySelector<HTMLInputElement>("[data-search]");
        if (search) {
          e.preventDefault();
          search.focus();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const shell = useMemo<Shell | null>(
    () =>
      settings
        ? {
            settings,
            catalogs,
            route,
            go: setRoute,
            saveSettings: async (s: Settings) => {
              // A read still under way answers for the settings before this save.
              loads.current++;
              await api.setSettings(s);
              setSettings(s);
            },
          }
        : null,
    [settings, catalogs, route],
  );

  const lang = settings?.language ?? "zh-CN";
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, "app.title");
  }, [lang]);

  return (
    <I18nProvider lang={lang}>
      {!shell ? (
        error ? (
          <ErrorBanner error={error} onRetry={loadSettings} />
        ) : (
          <Loading />
        )
      ) : firstRun ? (
        <WhoAmI
          defaults={shell.settings}
          onDone={(s) => {
            loads.current++;
            setSettings(s);
            setFirstRun(false);
          }}
        />
      ) : (
        <ShellCtx.Provider value={shell}>
          <div className="shell">
            <NavBar />
            <main className="main">
              <Screen route={route} />
            </main>
          </div>
        </ShellCtx.Provider>
      )}
    </I18nProvider>
  );
}
