"""The web page's browser tests (run by tools/browser-tests, which starts the server and sets the environment).

Each check that fails is printed and counted; the exit status is the number of failures (0: all passed). Every page
visited is screenshotted and checked by axe-core; a JavaScript console error anywhere is a failure.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import axe_selenium_python
from playwright.sync_api import sync_playwright

BASE = os.environ["KAM_BROWSER_BASE"]
KAM = os.environ["KAM_BROWSER_KAM"]
DB = os.environ["KAM_BROWSER_DB"]
PASSWORD = os.environ["KAM_BROWSER_PASSWORD"]
SHOTS = pathlib.Path(os.environ["KAM_BROWSER_SHOTS"])
CHROMIUM = os.environ["KAM_CHROMIUM"]
# A campaign report: jane (acme, the enterprise team's) and gavin (hooli, sven's) engaged with the second campaign.
CAMPAIGN_REPORT = """Email Address,Campaign Title,Subject,Send Time,Segment,Opens,Clicks,Bounce,Unsubscribed,Clicked URLs
jane.smith@acme.example,Winter Update,Winter news,2026-01-15 09:00,Customers,1,0,,,
gavin@hooli.example,Winter Update,Winter news,2026-01-15 09:00,Customers,0,0,,,
jane.smith@acme.example,Spring Webinar,Join us,2026-03-02 09:00,Customers,2,1,,,https://kam.example/pricing
gavin@hooli.example,Spring Webinar,Join us,2026-03-02 09:00,Customers,1,0,,,
anna@gmail.com,Spring Webinar,Join us,2026-03-02 09:00,Customers,1,0,,yes,
"""
AXE = (pathlib.Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js").read_text()

failures = []
console_errors = []
# The status the page being visited is expected to answer with: the browser logs a 404 page's own load as an error.
expected = {"status": 200}


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)


def kam(*args):
    """Runs `kam ... --db DB --json` and returns the parsed JSON."""
    out = subprocess.run([KAM, *args, "--db", DB, "--json"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def axe(page, name):
    page.evaluate(AXE)
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})))")
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    for v in violations:
        print(f"     axe {name}: {v['impact']} {v['id']}: {v['help']} at {v['nodes']}")
    check(not bad, f"axe: no serious or critical violation on {name}")


def visit(page, path, name, status=200):
    expected["status"] = status
    response = page.goto(BASE + path)
    check(response is not None and response.status == status, f"{path} answers {status}")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    axe(page, name)
    expected["status"] = 200
    return response


def sign_in(page, user):
    page.goto(BASE + "/app/today")
    check(page.url.startswith(BASE + "/app/sign-in"), f"an anonymous visit is sent to sign in ({user})")
    page.fill("#name", user)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    check(page.url.endswith("/app/today"), f"{user} signs in and lands on Today")


def reload_after(page, action):
    """Runs `action` (which makes the page's script reload it) and waits for the reload."""
    with page.expect_navigation(timeout=30000):
        action()
    page.wait_for_load_state("load")


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        def on_console(message):
            if message.type != "error":
                return
            if expected["status"] != 200 and f"status of {expected['status']}" in message.text:
                return
            console_errors.append(message.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: console_errors.append(str(error)))

        page.goto(BASE + "/app/sign-in")
        page.screenshot(path=str(SHOTS / "sign-in.png"), full_page=True)
        axe(page, "sign-in")
        sign_in(page, "maria")

        visit(page, "/app/today", "today")
        check(page.locator("ol.plan li").count() > 0, "Today shows the stored daily plan")
        unread = page.locator("[data-notification]").count()
        if unread:
            reload_after(page, lambda: page.locator("[data-notification] [data-act=read]").first.click())
            check(page.locator("[data-notification]").count() == unread - 1, "Mark read takes a notification off the unread")
        visit(page, "/app/clients", "clients")
        check(page.locator("table.list tbody tr").count() == 8, "Clients lists the demo's 8 clients for the admin")
        visit(page, "/app/clients?health_band=critical&sort=health", "clients-filtered")
        visit(page, "/app/analytics", "analytics")
        check(page.locator("svg.chart").count() == 2, "Analytics draws two charts")
        kam("analytics", "snapshot")  # yesterday's figures, so the dashboards have a week to draw
        for name, charts in [("portfolio-health", 3), ("pipeline", 4), ("ai-performance", 5), ("support", 3)]:
            visit(page, f"/app/analytics/dashboards/{name}", f"dashboard-{name}")
            check(page.locator("svg.chart").count() == charts, f"the {name} dashboard draws {charts} charts")
        visit(page, "/app/prompts", "prompts")
        visit(page, "/app/prompts/draft.follow-up-email", "prompt")

        # The assistant: generate a draft on the client page and watch it stream, then edit and approve it.
        visit(page, "/app/clients/acme", "client")
        before = {d["id"] for d in kam("draft", "list", "--client", "acme")}
        page.select_option("#kind", "follow-up")
        page.fill("#hints", "mention the inspection schedule")
        page.click("form.generate button[type=submit]")
        page.wait_for_function(
            "() => document.querySelector('[data-stream-body]').textContent.length > 20", timeout=30000)
        check(True, "the draft streams into the page as it is written")
        page.screenshot(path=str(SHOTS / "client-streaming.png"), full_page=True)
        page.wait_for_load_state("load")
        page.wait_for_timeout(1500)
        page.wait_for_load_state("load")
        after = kam("draft", "list", "--client", "acme")
        new = [d for d in after if d["id"] not in before]
        check(len(new) == 1 and new[0]["status"] == "pending", "the streamed draft is stored as pending")
        draft_id = new[0]["id"] if new else ""
        article = page.locator(f"#draft-{draft_id}")
        check(article.count() == 1, "the new draft is on the client page")
        page.screenshot(path=str(SHOTS / "client-with-draft.png"), full_page=True)
        article.locator("[data-act=edit]").click()
        article.locator("textarea").fill("Hi Jane,\n\nThe inspection schedule is attached.\n\nBest,\nMaria")
        reload_after(page, lambda: page.locator(f"#draft-{draft_id} [data-act=save]").click())
        reload_after(page, lambda: page.locator(f"#draft-{draft_id} [data-act=approve]").click())
        shown = kam("draft", "show", draft_id)
        check(shown["status"] == "edited-and-approved", f"kam shows draft {draft_id} edited and approved (got {shown['status']})")
        check("inspection schedule is attached" in json.dumps(shown.get("edited", {})),
              "kam shows the edited body of the approved draft")
        page.fill(f"#why-{draft_id}", "clear and short")
        page.locator(f"#draft-{draft_id} [data-act=up]").click()
        page.wait_for_function("() => document.getElementById('status').textContent.includes('feedback recorded')")
        shown_text = subprocess.run(
            [KAM, "draft", "show", draft_id, "--db", DB], check=True, capture_output=True, text=True).stdout
        check("Feedback: up (clear and short)" in shown_text, f"kam shows the thumbs up with its reason on {draft_id}")

        # Client intelligence: the button stores a request, polls it, and the reloaded panel shows the stored answer.
        reload_after(page, lambda: page.click("[data-act=intelligence]"))
        requests = page.evaluate("async () => (await (await fetch('/requests')).json()).items")
        stored = [r for r in requests if r["client_id"] == "acme" and r["type"] == "client-intelligence"]
        check(bool(stored) and stored[0]["status"] == "done", "the intelligence request is stored and answered")
        check(page.locator("section[aria-labelledby=intel-h] dl dt").count() > 0,
              "the client page's intelligence panel shows the stored answer")

        # Bulk: generate two drafts through the API with the session, then reject both from the review queue.
        for hint in ("first of two", "second of two"):
            page.evaluate(
                """async (hint) => {
                    const token = document.getElementById('csrf').dataset.token;
                    const r = await fetch('/drafts', {method: 'POST', headers: {'Content-Type': 'application/json',
                        'X-CSRF-Token': token}, body: JSON.stringify({client: 'globex', kind: 'check-in', hint: hint})});
                    if (!r.ok) throw new Error('POST /drafts ' + r.status);
                }""", hint)
        visit(page, "/app/review?client=globex", "review")
        pending = [d["id"] for d in kam("draft", "list", "--client", "globex") if d["status"] == "pending"]
        check(len(pending) >= 2, "two pending drafts of globex wait in the queue")
        for draft in pending[:2]:
            page.check(f"#select-{draft}")
        page.fill("#bulk-reason", "not now")
        reload_after(page, lambda: page.click("[data-act=bulk-reject]"))
        statuses = {d["id"]: d["status"] for d in kam("draft", "list", "--client", "globex")}
        check(all(statuses.get(d) == "rejected" for d in pending[:2]), "kam shows both drafts rejected")

        # The review queue by keyboard: Tab to a draft, ? shows the help, a approves.
        page.goto(BASE + "/app/review")
        queue = [d["id"] for d in kam("draft", "list", "--status", "pending", "--limit", "500")]
        reached = None
        for _ in range(80):
            page.keyboard.press("Tab")
            reached = page.evaluate("() => document.activeElement && document.activeElement.dataset.draft || null")
            if reached:
                break
        check(reached in queue, f"Tab reaches a pending draft ({reached})")
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        check(outline not in ("none", ""), f"the focused draft shows a visible focus ({outline})")
        page.keyboard.press("?")
        check(page.locator("#help").is_visible(), "? shows the keyboard help")
        check(page.evaluate("() => document.getElementById('help').matches(':modal')"), "the help is a modal overlay")
        page.screenshot(path=str(SHOTS / "review-keyboard.png"), full_page=True)
        page.keyboard.press("Escape")
        check(not page.locator("#help").is_visible(), "Esc closes the keyboard help")
        back = page.evaluate("() => document.activeElement && document.activeElement.dataset.draft || null")
        check(back == reached, f"focus returns to the draft after the help closes ({back})")
        reload_after(page, lambda: page.keyboard.press("a"))
        check(kam("draft", "show", reached)["status"] == "approved" if reached else False, "a approves the focused draft")

        # A suggestion accepted on Today makes its task appear on the client page.
        page.goto(BASE + "/app/today")
        task_suggestion = page.locator("li.suggestion", has_text="Accepting will create a")
        if task_suggestion.count() == 0:
            check(False, "Today offers a suggestion whose acceptance creates a task")
        else:
            first = task_suggestion.first
            client = first.locator("p.title a").first.inner_text()
            tasks_before = len(kam("task", "list", client, "--all"))
            reload_after(page, lambda: first.locator("[data-act=accept]").click())
            tasks_after = kam("task", "list", client, "--all")
            check(len(tasks_after) == tasks_before + 1, f"accepting the suggestion added a task of {client}")
            visit(page, f"/app/clients/{client}", "client-after-accept")
            newest = max(tasks_after, key=lambda t: t["id"])
            check(page.locator("[data-tasks] li", has_text=newest["title"]).count() == 1, "the new task shows on the client page")

        # Campaigns: the import form is sent by the script to POST /campaigns/import: a bad row is shown at its line
        # and nothing is stored; the report chosen as a file (read into the form) is imported; the list and a campaign
        # with its engaged clients and trend chart; "Explain this campaign" runs POST /campaigns/{id}/insights.
        visit(page, "/app/campaigns", "campaigns-empty")
        check(page.locator("form.import").get_attribute("action") is None, "the import form posts nowhere itself")
        page.click("form.import button[type=submit]")
        page.wait_for_function("() => document.getElementById('import-error').textContent.includes('no report arrived')")
        check(True, "an empty import is refused on the page before any call")
        page.fill("#csv", CAMPAIGN_REPORT.replace("2,1,,,", "2,1,maybe,,"))
        expected["status"] = 400
        with page.expect_response(lambda r: r.url.endswith("/campaigns/import")) as answer:
            page.click("form.import button[type=submit]")
        check(answer.value.status == 400, "the API refuses the report with a bad row (400)")
        page.wait_for_function("() => document.querySelectorAll('#import-error li').length > 0")
        rows = page.locator("#import-error li").all_inner_texts()
        check(any(row.startswith("mailchimp.csv:4: ") for row in rows), f"a bad row is shown on the page at its line ({rows})")
        check(page.url == BASE + "/app/campaigns", "the page stays where it was (no route of its own)")
        page.screenshot(path=str(SHOTS / "campaigns-refused.png"), full_page=True)
        axe(page, "campaigns-refused")
        expected["status"] = 200
        # The demo seeds one campaign ("Product update"); the refused report adds nothing beside it.
        demo_campaigns = {c["campaign"]["name"] for c in kam("campaigns", "list")}
        check(demo_campaigns == {"Product update"}, f"nothing of the refused report is stored ({sorted(demo_campaigns)})")
        with tempfile.TemporaryDirectory() as folder:
            report = pathlib.Path(folder) / "spring.csv"
            report.write_text(CAMPAIGN_REPORT)
            page.fill("#csv", "")
            page.set_input_files("#report-file", str(report))
            page.wait_for_function("() => document.getElementById('csv').value.includes('Spring Webinar')")
            page.click("form.import button[type=submit]")
            page.wait_for_selector("#imported-h")
        check(page.locator("#imported-h").inner_text() == "Imported spring.csv", "the chosen file is imported from the page")
        check(page.locator("#import-error").inner_text() == "", "the earlier refusal is cleared")
        page.screenshot(path=str(SHOTS / "campaigns-imported.png"), full_page=True)
        axe(page, "campaigns-imported")
        campaigns = {c["campaign"]["name"]: c["campaign"]["id"] for c in kam("campaigns", "list")}
        check(set(campaigns) == {"Winter Update", "Spring Webinar"} | demo_campaigns,
              f"kam lists the two imported campaigns beside the demo's ({sorted(campaigns)})")
        spring = campaigns.get("Spring Webinar", 0)
        check(page.locator(f"#import-result a[href='/app/campaigns/{spring}']").count() == 1, "the result links the imported campaign")
        visit(page, "/app/campaigns", "campaigns")
        check(page.locator("table.list tbody tr").count() == 3, "the campaigns page lists both campaigns and the demo's")
        visit(page, f"/app/campaigns/{spring}", "campaign")
        check(page.locator("svg.chart").count() == 1, "the campaign page draws its trend chart")
        check(page.locator("a[href='/app/clients/acme']").count() == 1 and page.locator("a[href='/app/clients/hooli']").count() == 1,
              "the admin sees both engaged clients, linked to their pages")
        calls_before = kam("usage", "--by", "user")
        with page.expect_response(lambda r: r.url.endswith(f"/campaigns/{spring}/insights")) as answer:
            page.click("text=Explain this campaign")
        check(answer.value.status == 200, "POST /campaigns/{id}/insights answers 200")
        page.wait_for_selector("[data-insights-result] li[data-verdict]")
        verdicts = page.locator("[data-insights-result] li[data-verdict]").evaluate_all("items => items.map(i => i.dataset.verdict)")
        check(verdicts and all(v in ("worked", "mixed", "did-not-work") for v in verdicts), f"each tier shows its verdict ({verdicts})")
        check(page.locator("[data-insights-result] > p").first.inner_text() != "", "the summary shows")
        check(page.locator("[data-insights-result] h3", has_text="What to try next").count() == 1, "the recommendations show")
        check(kam("usage", "--by", "user") != calls_before, "the run is metered in the usage ledger")
        page.screenshot(path=str(SHOTS / "campaign-insights.png"), full_page=True)
        axe(page, "campaign-insights")
        # A refusal (here a budget's, answered for the page by the browser) shows in the section's alert region.
        refusal = {"error": {"code": "budget.exceeded", "message": "budget 'global': the call would pass the day's $0.01"}}
        page.route(f"**/campaigns/{spring}/insights",
                   lambda route: route.fulfill(status=403, content_type="application/json", body=json.dumps(refusal)))
        expected["status"] = 403
        page.click("text=Explain this campaign")
        page.wait_for_function("() => document.querySelector('[data-insights-error]').textContent.includes('budget')")
        check(page.locator("[data-insights-error]").get_attribute("role") == "alert", "the refusal is in an alert region")
        check(page.locator("[data-insights-result]").inner_text() == "", "no stale result stays beside the refusal")
        axe(page, "campaign-insights-refused")
        expected["status"] = 200
        page.unroute(f"**/campaigns/{spring}/insights")

        # Another team's client: sven (growth) gets the 404 page for acme (enterprise).
        page.click("form.signout button")
        page.wait_for_url("**/app/sign-in")
        sign_in(page, "sven")
        visit(page, "/app/clients/acme", "not-found", status=404)
        check("Acme" not in page.content(), "the 404 page does not name the other team's client")
        visit(page, "/app/clients", "clients-member")
        check(page.locator("table.list tbody tr").count() == 1, "a member's client list holds only their own client")
        visit(page, f"/app/campaigns/{spring}", "campaign-member")
        check(page.locator("a[href='/app/clients/hooli']").count() == 1 and "/app/clients/acme" not in page.content(),
              "a member sees only their own engaged client on a campaign")
        visit(page, "/app/campaigns", "campaigns-member")
        check(page.locator("form.import").count() == 0, "a member is offered no import form")
        visit(page, f"/app/campaigns/{spring}", "campaign-member-insights")
        page.click("text=Explain this campaign")
        page.wait_for_selector("[data-insights-result] li[data-verdict]")
        check("Acme" not in page.locator("[data-insights-result]").inner_text(), "a member's insights name no other team's client")

        browser.close()
    check(not console_errors, "no JavaScript console error: " + "; ".join(console_errors[:5]))
    print(f"browser-tests: {len(failures)} failed; screenshots in {SHOTS}")
    return len(failures)


if __name__ == "__main__":
    sys.exit(main())
