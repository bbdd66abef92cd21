"""Screenshots of the web app's main pages for docs/ (web-*.png), taken in Debian's Chromium
from `jixiao serve` on a fresh demo database. Run: .venv/bin/python scripts/screenshots_web.py"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "Jixiao@2023demo"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    from playwright.sync_api import sync_playwright

    port = _port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="jixiao-shots-") as tmp:
        env = {**os.environ, "JIXIAO_DATA_DIR": tmp}
        env.pop("DATABASE_URL", None)
        proc = subprocess.Popen([str(Path(sys.executable).with_name("jixiao")), "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})

                def login(user: str) -> None:
                    page.context.clear_cookies()
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_url(f"{base}/**")

                def shot(name: str, url: str | None = None, full: bool = False) -> None:
                    if url:
                        page.goto(base + url)
                    page.screenshot(path=str(DOCS / f"web-{name}.png"), full_page=full)
                    print(f"docs/web-{name}.png")

                page.goto(f"{base}/accounts/login/")
                shot("login")
                login("ducha-tianbiao")
                shot("home", "/")
                pkg = page.locator("table.packages a").first.get_attribute("href")
                shot("overview", pkg)
                shot("basic", f"{pkg}sheet/basic/")
                # Typing recomputes through the server: a fixed item brings the subtotal in line.
                row = page.locator("tr.item", has=page.locator("input[value='公务用车运行维护费']"))
                row.locator("input[name$='.budget']").fill("5.46")
                page.wait_for_selector("#m-basic-district_special-budget:has-text('66.00')")  # (the CSP forbids eval)
                page.wait_for_timeout(300)
                shot("basic-recomputed")
                page.goto(f"{base}{pkg}sheet/overall/")
                page.locator("#c-overall-indicators-0").scroll_into_view_if_needed()
                shot("overall")
                shot("findings", f"{pkg}findings/")
                shot("history", f"{pkg}history/")
                login("caizheng-shenhe")
                shot("reviewer-home", "/")
                login("shenji-admin")
                shot("audit", "/audit/")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
