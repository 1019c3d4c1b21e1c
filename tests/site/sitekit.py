"""Helpers shared by the built-site tests (imported as ``sitekit``: tests/ has no packages)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse


def site_pages(site: Path) -> list[str]:
    """Every built page (relative path), not the theme's template fragments in _static/."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in ("_static", "_sources", "_images"))


def drain_logs(driver) -> None:
    driver.get_log("browser")
    driver.get_log("performance")


def page_problems(driver) -> dict[str, list]:
    """Console errors, failed/4xx/5xx requests and requests that left localhost since last call."""
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    failed, outside, seen = [], [], 0
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        method, params = msg.get("method"), msg.get("params", {})
        if method == "Network.requestWillBeSent":
            seen += 1
            url = params["request"]["url"]
            if urlparse(url).scheme in ("http", "https", "ws", "wss", "ftp") and \
                    urlparse(url).hostname not in ("127.0.0.1", "localhost"):
                outside.append(url)
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            failed.append(f'{params["response"]["status"]} {params["response"]["url"]}')
        elif method == "Network.loadingFailed" and not params.get("canceled"):
            failed.append(f'{params.get("errorText")} (request {params.get("requestId")})')
    return {"errors": errors, "failed": failed, "outside": outside, "requests": [seen]}


# --------------------------------------------------------------------------- links

AWS_HOSTS = ("amazon.com", "amazonaws.com", "amazonaws.cn", "repost.aws", "aws")


def is_aws(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in AWS_HOSTS)


def external_links(site: Path) -> dict[str, list[str]]:
    """Every http(s) link of the built site's pages -> the pages that have it (sorted)."""
    import re

    found: dict[str, set[str]] = {}
    for page in site_pages(site):
        html = (site / page).read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r'<a\b[^>]*\bhref="(https?://[^"]+)"', html):
            url = url.replace("&amp;", "&")
            found.setdefault(url, set()).add(page)
    return {u: sorted(p) for u, p in sorted(found.items())}
