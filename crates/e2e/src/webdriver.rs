//! A minimal W3C WebDriver client over HTTP (the subset the tests use).

use base64::Engine as _;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// The W3C key of an element reference in responses.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

#[derive(Debug)]
pub struct WdError(pub String);

impl std::fmt::Display for WdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WdError {}

pub type Result<T> = std::result::Result<T, WdError>;

/// One WebDriver session: one running console window.
#[derive(Debug)]
pub struct Session {
    agent: ureq::Agent,
    base: String,
    id: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        // W3C errors come with a JSON body worth reading.
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(90)))
        .build()
        .into()
}

fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Result<Value> {
    let sent = match method {
        "GET" => agent.get(url).call(),
        "DELETE" => agent.delete(url).call(),
        _ => agent.post(url).send_json(body.unwrap_or_else(|| json!({}))),
    };
    let mut resp = sent.map_err(|e| WdError(format!("{method} {url}: {e}")))?;
    let status = resp.status();
    let v: Value = resp
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_json()
        .map_err(|e| WdError(format!("{method} {url}: unreadable answer: {e}")))?;
    if !status.is_success() {
        return Err(WdError(format!("{method} {url}: {status}: {}", v["value"])));
    }
    Ok(v["value"].clone())
}

impl Session {
    /// Starts the application `app` through the driver at `base`.
    pub fn start(base: &str, app: &str) -> Result<Session> {
        let agent = agent();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": app, "args": []}
        }}});
        let v = call(&agent, "POST", &format!("{base}/session"), Some(caps))?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| WdError(format!("no session id in {v}")))?
            .to_owned();
        Ok(Session {
            agent,
            base: base.to_owned(),
            id,
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        call(&self.agent, method, &url, body)
    }

    /// Ends the session (the driver closes the application).
    pub fn quit(&self) -> Result<()> {
        self.cmd("DELETE", "", None).map(|_| ())
    }

    /// All elements matching a CSS selector, now.
    pub fn find_all(&self, css: &str) -> Result<Vec<String>> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until `css` matches, up to `timeout`; returns the first match.
    pub fn wait(&self, css: &str, timeout: Duration) -> Result<String> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(e) = self.find_all(css)?.into_iter().next() {
                return Ok(e);
            }
            if Instant::now() > end {
                return Err(WdError(format!(
                    "nothing matched `{css}` within {timeout:?}; the window shows: {}",
                    self.screen_text()
                )));
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Waits (5 s) for `css` and returns it.
    pub fn el(&self, css: &str) -> Result<String> {
        self.wait(css, Duration::from_secs(10))
    }

    /// Clicks an element the way a pointer would, once it holds still: a
    /// click is dispatched at the element's centre, so a click while the
    /// layout still moves (a screen just replaced, web fonts arriving) can
    /// land beside it. Like a person, this waits until the fonts are loaded
    /// and the element's box is the same over two animation frames.
    pub fn click(&self, css: &str) -> Result<()> {
        let e = self.el(css)?;
        self.until_still(css)?;
        self.cmd("POST", &format!("/element/{e}/click"), None)
            .map(|_| ())
    }

    /// Waits (up to 5 s) until the fonts are loaded and the first element
    /// matching `css` keeps its box over two animation frames.
    fn until_still(&self, css: &str) -> Result<()> {
        let end = Instant::now() + Duration::from_secs(5);
        loop {
            let still = self.exec_async(
                r#"const [css, done] = arguments;
                   const box = () => {
                       const r = document.querySelector(css)?.getBoundingClientRect();
                       return r ? [r.x, r.y, r.width, r.height].join() : null;
                   };
                   document.fonts.ready.then(() => {
                       const first = box();
                       requestAnimationFrame(() => requestAnimationFrame(() =>
                           done(first !== null && first === box())));
                   });"#,
                json!([css]),
            )?;
            if still == Value::Bool(true) {
                return Ok(());
            }
            if Instant::now() > end {
                return Err(WdError(format!(
                    "`{css}` did not hold still within 5s; the window shows: {}",
                    self.screen_text()
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The start of the text the window shows, for error messages.
    pub fn screen_text(&self) -> String {
        self.exec(
            "return (document.body?.innerText ?? '').replace(/\\s+/g, ' ').slice(0, 400)",
            json!([]),
        )
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "(unreadable)".to_owned())
    }

    /// Types into a field (after clearing it).
    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let e = self.el(css)?;
        self.cmd("POST", &format!("/element/{e}/clear"), None)?;
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .map(|_| ())
    }

    /// Sends keys to a field without clearing it (`"\u{E007}"` is Enter).
    pub fn send_keys(&self, css: &str, text: &str) -> Result<()> {
        let e = self.el(css)?;
        self.cmd(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .map(|_| ())
    }

    /// Sets a select's or input's value the way a user's choice would
    /// (through the native setter, then input and change events), for
    /// controls that key presses drive poorly (select, datetime-local).
    pub fn set_value(&self, css: &str, value: &str) -> Result<()> {
        self.el(css)?;
        let v = self.exec(
            r#"const [css, value] = arguments;
               const el = document.querySelector(css);
               const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype
                   : el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
                   : HTMLInputElement.prototype;
               Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
               el.dispatchEvent(new Event('input', { bubbles: true }));
               el.dispatchEvent(new Event('change', { bubbles: true }));
               return el.value;"#,
            json!([css, value]),
        )?;
        if v.as_str() != Some(value) {
            return Err(WdError(format!("{css} took {v}, not {value:?}")));
        }
        Ok(())
    }

    pub fn text(&self, css: &str) -> Result<String> {
        let e = self.el(css)?;
        let v = self.cmd("GET", &format!("/element/{e}/text"), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    pub fn attr(&self, css: &str, name: &str) -> Result<Option<String>> {
        let e = self.el(css)?;
        let v = self.cmd("GET", &format!("/element/{e}/attribute/{name}"), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// Runs a synchronous script; `args` is a JSON array.
    pub fn exec(&self, script: &str, args: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an asynchronous script: it receives a callback as its last
    /// argument and calls it with the result.
    pub fn exec_async(&self, script: &str, args: Value) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Waits until the script returns something truthy.
    pub fn wait_until(
        &self,
        what: &str,
        script: &str,
        args: Value,
        timeout: Duration,
    ) -> Result<Value> {
        let end = Instant::now() + timeout;
        loop {
            let v = self.exec(script, args.clone())?;
            let truthy = !matches!(&v, Value::Null | Value::Bool(false))
                && v.as_str() != Some("")
                && v.as_f64() != Some(0.0);
            if truthy {
                return Ok(v);
            }
            if Instant::now() > end {
                return Err(WdError(format!(
                    "{what}: not true within {timeout:?} (last {v})"
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Resizes the window (W3C "Set Window Rect"); the window manager may
    /// clamp it to the window's minimum size.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .map(|_| ())
    }

    /// The window as a PNG.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.cmd("GET", "/screenshot", None)?;
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .map_err(|e| WdError(format!("screenshot is not base64: {e}")))
    }
}
