"""axe-core (from npm, see package.json) injected into a Playwright page: the WCAG 2.1 A/AA
rules only, and a readable list of what failed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    html: v.nodes.length ? v.nodes[0].html.slice(0, 160) : "",
    summary: ((v.nodes[0] && v.nodes[0].failureSummary) || "").split("\\n")[1] || "",
    count: v.nodes.length,
  }));
}"""


def require_axe() -> Path:
    """The path of axe.min.js; without it the check fails under ONESTOP_REQUIRE_BROWSER=1
    (as CI sets) and is skipped elsewhere."""
    if AXE_JS.exists():
        return AXE_JS
    message = f"{AXE_JS} is missing: run `npm ci` (make test does it when npm is installed)"
    if os.environ.get("ONESTOP_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def install(context: BrowserContext) -> None:
    """Load axe into every page the context opens (cheaper than injecting it page by page)."""
    context.add_init_script(path=str(require_axe()))


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe on the page as it is now (injecting it unless `install` did); one dict per
    rule broken."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    found: list[dict[str, Any]] = page.evaluate(RUN, WCAG_21_AA)
    return found


def describe(found: list[dict[str, Any]], *, url: str, language: str) -> str:
    """Rule id, impact, help, the first nodes and how to fix them: one block per rule."""
    lines = []
    for v in found:
        lines.append(
            f"[{language}] {url}: {v['id']} ({v['impact']}) {v['help']}"
            f" — {v['count']} node(s), e.g. {', '.join(v['targets'])}"
            f"\n      {v['html']}\n      {v['summary']}"
        )
    return "\n".join(lines)
