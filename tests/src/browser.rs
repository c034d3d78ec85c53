//! A real browser for the console's tests: Debian's Chromium, headless, driven through
//! WebDriver by its own chromedriver (both installed by `scripts/setup-browser`), at an office
//! screen's 1366×768. Screenshots land in `target/screenshots/web-*.png`; axe-core (from npm)
//! checks each page for accessibility problems.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

/// Where `scripts/setup-browser` puts axe-core.
fn axe_path() -> PathBuf {
    std::env::var_os("LVZHI_AXE").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/browser/node_modules/axe-core/axe.min.js")
    })
}

fn screenshots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium through it.
    pub async fn start() -> Browser {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            assert!(std::path::Path::new(tool).exists(), "{tool} is missing: run scripts/setup-browser");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let _ = rustls::crypto::ring::default_provider().install_default();
        let profile = tempfile::tempdir().unwrap();
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1366,768", "--lang=zh-CN", "--hide-scrollbars",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::rustls().unwrap().capabilities(caps.clone()).connect(&url).await {
                Ok(client) => {
                    // The page itself at 1366×768, whatever the window's own frame takes.
                    let inner = client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await;
                    let (w, h): (u32, u32) =
                        inner.ok().and_then(|v| serde_json::from_value(v).ok()).unwrap_or((1366, 768));
                    let _ = client.set_window_size(1366 + (1366 - w.min(1366)), 768 + (768 - h.min(768))).await;
                    return Browser { client, driver, _profile: profile };
                }
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn text(&self, css: &str) -> String {
        self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
    }

    /// The whole page's visible text.
    pub async fn page_text(&self) -> String {
        self.text("body").await
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        self.type_into(&field, value).await;
    }

    /// Types into a field; a date or time field (whose widget takes keys in the locale's order)
    /// gets its value set as a picker would.
    async fn type_into(&self, field: &fantoccini::elements::Element, value: &str) {
        let kind = field.attr("type").await.unwrap().unwrap_or_default();
        if kind == "date" || kind == "datetime-local" {
            let arg = serde_json::to_value(field).unwrap();
            self.client.execute("arguments[0].value = arguments[1];", vec![arg, value.into()]).await.unwrap();
        } else {
            field.clear().await.unwrap();
            field.send_keys(value).await.unwrap();
        }
    }

    /// Clicks what `css` (or, starting with `//`, an XPath) finds.
    pub async fn click(&self, css: &str) {
        let locator = if css.starts_with("//") { Locator::XPath(css) } else { Locator::Css(css) };
        self.client.find(locator).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
    }

    /// Signs in at the console's login page.
    pub async fn sign_in(&self, base: &str, login: &str, password: &str) {
        self.goto(&format!("{base}/console/login")).await;
        self.fill("#login", login).await;
        self.fill("#password", password).await;
        self.click("form.narrow button[type=submit]").await;
        // Signed in once the page names the person (the login's redirect has landed).
        assert!(self.wait_for_element("header .who", 10).await, "{login} did not get signed in");
    }

    /// Waits until an element matching `css` is on the page; false after `seconds`.
    pub async fn wait_for_element(&self, css: &str, seconds: u64) -> bool {
        for _ in 0..seconds * 10 {
            if self.client.find(Locator::Css(css)).await.is_ok() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Opens the action form of `action_code` on this page, fills `values` (css within the form
    /// → value; "click" clicks a checkbox) and submits it.
    pub async fn take(&self, action_code: &str, values: &[(&str, &str)]) {
        let form = format!("form:has(input[name=_action][value={action_code}])");
        let details = self
            .client
            .find(Locator::XPath(&format!("//details[.//input[@name='_action' and @value='{action_code}']]/summary")))
            .await
            .unwrap_or_else(|e| panic!("no form for {action_code}: {e}"));
        details.click().await.unwrap();
        for (css, value) in values {
            let field = self.client.find(Locator::Css(&format!("{form} {css}"))).await.unwrap();
            match field.tag_name().await.unwrap().as_str() {
                "select" => field.select_by_value(value).await.unwrap(),
                // A file input takes the file's path, as a picker would.
                "input" if field.attr("type").await.unwrap().as_deref() == Some("file") => {
                    field.send_keys(value).await.unwrap()
                }
                // A checkbox or radio button is clicked.
                _ if *value == "click" => field.click().await.unwrap(),
                _ => self.type_into(&field, value).await,
            }
        }
        self.click(&format!("{form} button[type=submit]")).await;
    }

    /// Waits until the page's text contains `needle` (the page updates itself); false after
    /// `seconds`.
    pub async fn wait_for_text(&self, css: &str, needle: &str, seconds: u64) -> bool {
        for _ in 0..seconds * 10 {
            if let Ok(e) = self.client.find(Locator::Css(css)).await
                && e.text().await.is_ok_and(|t| t.contains(needle))
            {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// A screenshot of the page, kept as `target/screenshots/web-{name}.png`.
    pub async fn screenshot(&self, name: &str) -> Vec<u8> {
        let png = self.client.screenshot().await.unwrap();
        let dir = screenshots();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("web-{name}.png")), &png).unwrap();
        png
    }

    /// axe-core's serious and critical violations on this page (rule id: what it found).
    pub async fn accessibility_problems(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(axe_path()).unwrap_or_else(|e| {
            panic!("axe-core missing at {}: run scripts/setup-browser ({e})", axe_path().display())
        });
        self.client.execute(&axe, vec![]).await.unwrap();
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations
                     .filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Checks the page with axe and keeps its screenshot: every page the tests visit.
    pub async fn look(&self, name: &str) {
        self.screenshot(name).await;
        let problems = self.accessibility_problems().await;
        assert!(problems.is_empty(), "{name}: accessibility problems: {problems:?}");
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// A screenshot of one element, scrolled into view first.
    pub async fn element_png(&self, css: &str) -> Vec<u8> {
        let e = self.client.find(Locator::Css(css)).await.unwrap_or_else(|err| panic!("{css}: {err}"));
        let arg = serde_json::to_value(&e).unwrap();
        self.client.execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]).await.unwrap();
        e.screenshot().await.unwrap()
    }
}

impl Browser {
    /// Types `keys` into whatever has the focus, as a keyboard would (`\u{e004}` is Tab,
    /// `\u{e007}` Enter: fantoccini's `Key`).
    pub async fn keys(&self, keys: &str) {
        self.client.active_element().await.unwrap().send_keys(keys).await.unwrap();
    }

    /// Presses Tab until the focused element matches `css` (true), or gives up after `most`.
    pub async fn tab_to(&self, css: &str, most: usize) -> bool {
        let check = format!("return document.activeElement && document.activeElement.matches({css:?});");
        for _ in 0..most {
            self.keys(&fantoccini::key::Key::Tab.to_string()).await;
            if self.client.execute(&check, vec![]).await.unwrap().as_bool() == Some(true) {
                return true;
            }
        }
        false
    }
}

/// Decodes the QR code in a PNG (a screenshot of an element).
pub fn read_qr(png: &[u8]) -> Option<String> {
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok()?.to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| img.get_pixel(x as u32, y as u32)[0]);
    let grids = prepared.detect_grids();
    grids.first().and_then(|g| g.decode().ok()).map(|(_, content)| content)
}
