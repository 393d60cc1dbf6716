#!/usr/bin/env python3
"""The web workspace in a real browser: Debian's chromium and chromium-driver through selenium,
headless and offline (every host but the loopback resolves to nothing), against a real
`routeplanner serve` this script starts and stops.

Usage: Tests/browser/browser-test [OUTPUT_FOLDER]      (default: out/browser)
Environment: ROUTEPLANNER=/path/to/routeplanner (default: .build/debug/routeplanner).

Checks, page by page (each failure names the page and what was expected), with a screenshot of
each page in OUTPUT_FOLDER:
  map       every place of the network is drawn; a layer switched off hides its group and goes
            into the URL; a click on a place shows it
  route     a query from the URL answers with the alternatives the API gives (same count and
            costs), each drawn on the map, and the Pareto chart
  plans     the example CSV uploads and plans every shipment; a bill downloads as HTML and as
            JSON; a malformed CSV shows the server's line-numbered messages
  simulate  a short simulation's progress reaches 100 % and its targets show; the headroom panel
            runs a small search of that scenario to 100 % and shows the answer; a long
            simulation's bar moves inside its first run and it is cancelled; two scenario
            files picked at once run as one study
  studies   the runs appear; two ticked runs are compared side by side and on the map
  console   no page logs an error
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "out", "browser"))
BINARY = os.environ.get("ROUTEPLANNER", os.path.join(REPO, ".build", "debug", "routeplanner"))
failures = []


def check(condition, page, message):
    print(("ok   " if condition else "FAIL ") + page + ": " + message, flush=True)
    if not condition:
        failures.append(page + ": " + message)
    return condition


def start_server(work):
    process = subprocess.Popen([BINARY, "serve", "--host", "127.0.0.1", "--port", "0", "--db", os.path.join(work, "results.sqlite")],
                               cwd=work, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "server.err"), "w"), text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        line = process.stdout.readline()
        if "listening on http://" in line:
            return process, line.strip().split("listening on ")[1]
        if process.poll() is not None:
            break
    process.kill()
    sys.exit("routeplanner serve did not start: " + open(os.path.join(work, "server.err")).read())


def fetch(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.headers.get("content-type", ""), response.read()


def main():
    os.makedirs(OUT, exist_ok=True)
    work = tempfile.mkdtemp(prefix="rp-browser-")
    server, base = start_server(work)
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1000", "--disable-dev-shm-usage",
                     # Offline: any host but the loopback resolves to nothing, so a page that fetched
                     # from the internet would fail here.
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--lang=en-US"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    wait = WebDriverWait(browser, 120)
    started = time.time()
    try:
        # ---- map ----
        browser.get(base + "/")
        wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
        places = json.loads(fetch(base + "/api/network.geojson")[2])
        points = sum(1 for f in places["features"] if f["geometry"]["type"] == "Point")
        drawn = len(browser.find_elements(By.CSS_SELECTOR, "#network-map circle[data-place]"))
        check(drawn == points and points > 100, "map", f"{drawn} places drawn, the network has {points}")
        browser.find_element(By.CSS_SELECTOR, "input[data-layer-toggle=air]").click()
        hidden = browser.execute_script("return getComputedStyle(document.getElementById('layer-air')).display")
        check(hidden == "none" and "layers=" in browser.current_url, "map", f"air switched off: display {hidden}, URL {browser.current_url}")
        browser.find_element(By.CSS_SELECTOR, "input[data-layer-toggle=air]").click()
        browser.execute_script("document.querySelector('circle[data-place=CNCQI]').dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        selected = browser.find_elements(By.CSS_SELECTOR, "#map-info [data-selected=CNCQI]")
        check(len(selected) == 1 and "Chongqing" in selected[0].text, "map", "a click on Chongqing shows it")
        browser.save_screenshot(os.path.join(OUT, "map.png"))

        # ---- route ----
        query = "from=Chongqing&to=Duisburg&alternatives=3"
        browser.get(base + "/route?" + query)
        wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".alternative")) > 0 or b.find_elements(By.CSS_SELECTOR, "#route-status .error"))
        answer = json.loads(fetch(base + "/api/route?" + query)[2])
        cards = browser.find_elements(By.CSS_SELECTOR, ".alternative")
        check(len(cards) == len(answer["alternatives"]) == 3, "route", f"{len(cards)} alternatives in the page, {len(answer['alternatives'])} from the API")
        for card, route in zip(cards, answer["alternatives"]):
            cost = f"{round(route['costUSD']):,} USD"
            check(cost in card.text, "route", f"alternative {card.get_attribute('data-rank')} shows {cost}")
        check("重庆" in cards[0].text and "Chongqing" in cards[0].text, "route", "legs name places in English and Chinese")
        lines = browser.find_elements(By.CSS_SELECTOR, "#routes path.route-line")
        check(len(lines) == 3, "route", f"{len(lines)} routes drawn on the map")
        check(len(browser.find_elements(By.CSS_SELECTOR, "#pareto-chart circle.pareto-point")) == len(answer["paretoFront"]), "route",
              "the Pareto chart has a point per route of the front")
        browser.save_screenshot(os.path.join(OUT, "route.png"))
        # An unknown place: the server's message, not a blank page.
        browser.get(base + "/route?from=Chongqing&to=Atlantis")
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#route-status .error"))
        message = browser.find_element(By.CSS_SELECTOR, "#route-status .error").text
        check("Atlantis" in message and "400" in message, "route", f"an unknown place is reported: {message[:120]}")

        # ---- plans ----
        browser.get(base + "/plans")
        example = os.path.join(REPO, "examples", "shipments-2027.csv")
        with open(example) as f:
            rows = sum(1 for line in f if line.strip()) - 1
        browser.find_element(By.ID, "plan-file").send_keys(example)
        browser.find_element(By.ID, "plan-submit").click()
        WebDriverWait(browser, 300).until(lambda b: b.find_elements(By.ID, "plan-summary") or b.find_elements(By.CSS_SELECTOR, "#plan-status .error"))
        shipments = browser.find_elements(By.CSS_SELECTOR, "#plan-shipments tr[data-shipment]")
        check(len(shipments) == rows, "plans", f"{len(shipments)} shipments listed, the CSV has {rows}")
        html_link = browser.find_elements(By.CSS_SELECTOR, "#plan-shipments a.bill-html")
        json_link = browser.find_elements(By.CSS_SELECTOR, "#plan-shipments a.bill-json")
        if check(len(html_link) > 0 and len(json_link) > 0, "plans", "bills are offered"):
            status, kind, body = fetch(html_link[0].get_attribute("href"))
            check(status == 200 and "text/html" in kind and b"<html" in body.lower(), "plans", "a bill downloads as printable HTML")
            status, kind, body = fetch(json_link[0].get_attribute("href"))
            bill = json.loads(body)
            check(status == 200 and "transportDocumentReference" in json.dumps(bill), "plans", "a bill downloads as DCSA JSON")
        browser.save_screenshot(os.path.join(OUT, "plans.png"))
        bad = os.path.join(work, "bad.csv")
        with open(bad, "w") as f:
            f.write("id,origin,destination,teu,ready,deadline\nX1,Chongqing,Atlantis,1,2027-03-01,20d\n")
        browser.find_element(By.ID, "plan-file").send_keys(bad)
        browser.find_element(By.ID, "plan-submit").click()
        wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#plan-status .issues li"))
        issue = browser.find_element(By.CSS_SELECTOR, "#plan-status .issues li").text
        check("bad.csv:2" in issue and "destination" in issue, "plans", f"a bad CSV shows the line and column: {issue[:120]}")

        # ---- simulate ----
        # A shipped scenario picked, edited to 5 days in the page's editor, and run.
        browser.get(base + "/simulate")
        form = browser.find_element(By.ID, "simulate-form")
        Select(browser.find_element(By.ID, "scenario-pick")).select_by_value("laos-thailand-weekly.yaml")
        editor = browser.find_element(By.ID, "scenario-yaml")
        check("scenario: laos-thailand-weekly" in editor.get_attribute("value"), "simulate", "picking a shipped scenario loads it into the editor")
        browser.execute_script("const e = document.getElementById('scenario-yaml'); e.value = e.value.replace(/^days: .*$/m, 'days: 5');")
        browser.find_element(By.ID, "simulate-submit").click()
        WebDriverWait(browser, 600).until(lambda b: b.find_element(By.ID, "job-progress").get_attribute("data-state") not in (None, "", "running"))
        bar = browser.find_element(By.ID, "job-progress")
        check(bar.get_attribute("aria-valuenow") == "100" and bar.get_attribute("data-state") == "succeeded", "simulate",
              f"progress {bar.get_attribute('aria-valuenow')} %, state {bar.get_attribute('data-state')}: {browser.find_element(By.ID, 'job-status').text[:200]}")
        WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#job-targets tr[data-target]"))
        check(len(browser.find_elements(By.CSS_SELECTOR, "#job-targets tr[data-target]")) > 0, "simulate", "the targets are shown, met or not")
        check(len(browser.find_elements(By.CSS_SELECTOR, "#targets-chart rect.target-bar")) > 0, "simulate", "the targets are charted")
        # The headroom panel: the same 5-day scenario, the Land-Sea Corridor grown, on-time and backlog
        # as the criteria, one seed, one bisection, no relief search (3 steps).
        for field_id, value in [("headroom-grow", "corridor:landSea"), ("headroom-criteria", "on-time=0.85, backlog=0.01"),
                                ("headroom-seeds", "1"), ("headroom-steps", "1"), ("headroom-reliefs", "0")]:
            field = browser.find_element(By.ID, field_id)
            field.clear()
            field.send_keys(value)
        browser.find_element(By.ID, "headroom-start").click()
        WebDriverWait(browser, 60).until(lambda b: b.find_element(By.ID, "headroom-progress").get_attribute("data-state") == "running"
                                         or b.find_elements(By.CSS_SELECTOR, "#headroom-status .error"))
        check(browser.find_element(By.ID, "headroom-grow").get_attribute("disabled") is not None or
              browser.execute_script("return document.getElementById('headroom-inputs').disabled"), "simulate", "the headroom inputs are locked while it runs")
        WebDriverWait(browser, 600).until(lambda b: b.find_element(By.ID, "headroom-progress").get_attribute("data-state") not in (None, "", "running")
                                          or b.find_elements(By.CSS_SELECTOR, "#headroom-status .error"))
        hbar = browser.find_element(By.ID, "headroom-progress")
        check(hbar.get_attribute("aria-valuenow") == "100" and hbar.get_attribute("data-state") == "succeeded", "simulate",
              f"headroom progress {hbar.get_attribute('aria-valuenow')} %, state {hbar.get_attribute('data-state')}: {browser.find_element(By.ID, 'headroom-status').text[:200]}")
        answer = {row.get_attribute("data-field"): row.find_element(By.TAG_NAME, "td").text
                  for row in browser.find_elements(By.CSS_SELECTOR, "#headroom-answer tr[data-field]")}
        jobs_seen = json.loads(fetch(base + "/api/studies")[2])
        summary = [r for r in jobs_seen["runs"] if r["runKey"] == "laos-thailand-weekly[headroom]"]
        check(len(summary) == 1, "simulate", "the headroom search is recorded in the results database")
        check(answer.get("limitFactor", "").startswith("× ") and answer.get("failedFactor", "").startswith("× ")
              and answer.get("firstToBind", "") not in ("", "nothing broke within the factors tried"), "simulate",
              f"the headroom answer is shown (multiplier reached, what breaks first): {answer}")
        check(len(browser.find_elements(By.CSS_SELECTOR, "#headroom-steps-table tr[data-step]")) >= 2, "simulate", "the headroom steps are listed")
        browser.save_screenshot(os.path.join(OUT, "simulate.png"))
        # The permalink of the headroom job opens it in the headroom panel, answer and all.
        permalink = browser.current_url
        check("headroom=" in permalink, "simulate", f"the headroom job is in the URL: {permalink}")
        browser.get(permalink)
        WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#headroom-answer tr[data-field]"))
        reopened = {row.get_attribute("data-field"): row.find_element(By.TAG_NAME, "td").text
                    for row in browser.find_elements(By.CSS_SELECTOR, "#headroom-answer tr[data-field]")}
        check(reopened == answer and browser.find_element(By.ID, "headroom-progress").get_attribute("data-state") == "succeeded",
              "simulate", "the headroom permalink reopens the finished search with the same answer")
        form = browser.find_element(By.ID, "simulate-form")
        # Parameters instead of a scenario file.
        Select(browser.find_element(By.ID, "scenario-pick")).select_by_value("")
        # A long one, cancelled: the run in flight finishes, no new one starts.
        check(browser.find_element(By.ID, "scenario-yaml").get_attribute("value") == "", "simulate", "the editor empties for parameters")
        for name, value in [("scenario", "browser-cancelled"), ("days", "120"), ("replications", "5")]:
            field = form.find_element(By.NAME, name)
            field.clear()
            field.send_keys(value)
        browser.find_element(By.ID, "simulate-submit").click()
        WebDriverWait(browser, 60).until(lambda b: b.find_element(By.ID, "job-progress").get_attribute("data-state") == "running")
        check(browser.find_element(By.NAME, "days").get_attribute("disabled") is not None or
              browser.execute_script("return document.getElementById('simulate-inputs').disabled"), "simulate", "inputs are locked while running")
        # The bar moves inside the first of the five runs (before any run is done).
        WebDriverWait(browser, 300, poll_frequency=0.05).until(lambda b: int(b.find_element(By.ID, "job-progress").get_attribute("aria-valuenow") or 0) > 0
                                          or b.find_element(By.ID, "job-progress").get_attribute("data-state") != "running")
        moved = browser.find_element(By.ID, "job-status").text
        check(" 0 of 5 runs" in moved and not moved.endswith(" 0 %"), "simulate", f"the bar moves inside a run: {moved[:120]}")
        browser.find_element(By.ID, "job-cancel").click()
        WebDriverWait(browser, 900).until(lambda b: b.find_element(By.ID, "job-progress").get_attribute("data-state") not in ("running",))
        state = browser.find_element(By.ID, "job-progress").get_attribute("data-state")
        check(state == "cancelled", "simulate", f"the long simulation ends {state}")
        # Two scenario files picked at once: one study, one job, both runs recorded and shown side by side.
        paths = []
        for name, year in [("browser-study-a", 2025), ("browser-study-b", 2027)]:
            path = os.path.join(work, name + ".yaml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"scenario: {name}\nnetwork: built-in\ndemand: {year}\nengines: [simulate]\ndays: 3\nseed: 1\n")
            paths.append(path)
        field = form.find_element(By.NAME, "replications")
        field.clear()
        field.send_keys("1")
        browser.find_element(By.ID, "scenario-file").send_keys("\n".join(paths))
        note = browser.find_element(By.ID, "scenario-files").text
        check(note.startswith("2 files"), "simulate", f"two files picked: {note}")
        browser.find_element(By.ID, "simulate-submit").click()
        WebDriverWait(browser, 60).until(lambda b: b.find_element(By.ID, "job-status").text.startswith("browser-study-a, browser-study-b")
                                         or b.find_elements(By.CSS_SELECTOR, "#job-status .error"))
        WebDriverWait(browser, 600).until(lambda b: b.find_element(By.ID, "job-progress").get_attribute("data-state") not in (None, "", "running")
                                          or b.find_elements(By.CSS_SELECTOR, "#job-status .error"))
        bar = browser.find_element(By.ID, "job-progress")
        study_status = browser.find_element(By.ID, "job-status").text
        check(bar.get_attribute("data-state") == "succeeded" and bar.get_attribute("aria-valuenow") == "100" and "2 of 2 runs" in study_status,
              "simulate", f"the two-file study runs to the end: {study_status[:160]}")
        WebDriverWait(browser, 60).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#job-kpis tr:first-child th")) == 3)
        check(len(browser.find_elements(By.CSS_SELECTOR, "#job-kpis tr:first-child th")) == 3, "simulate", "both runs' key figures side by side")

        # ---- studies ----
        browser.get(base + "/studies")
        WebDriverWait(browser, 60).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#study-runs tr[data-run]"))
        runs = browser.find_elements(By.CSS_SELECTOR, "#study-runs tr[data-run]")
        check(len(runs) >= 2, "studies", f"{len(runs)} runs listed")
        for box in browser.find_elements(By.CSS_SELECTOR, "#study-runs input[data-pick]")[:2]:
            box.click()
        columns = browser.find_elements(By.CSS_SELECTOR, "#comparison-table tr:first-child th")
        check(len(columns) == 3, "studies", "two runs side by side (KPI + 2 columns)")
        check("compare=" in browser.current_url, "studies", "the comparison is in the URL")
        legend = browser.find_element(By.ID, "difference-legend").text
        check("places changed" in legend, "studies", f"the map shows the difference: {legend}")
        status, kind, body = fetch(base + "/api/studies/database")
        check(status == 200 and body.startswith(b"SQLite format 3"), "studies", "the results database downloads")
        browser.save_screenshot(os.path.join(OUT, "studies.png"))

        # ---- console ----
        errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
                  and "Failed to load resource: the server responded with a status of 4" not in entry["message"]]
        check(not errors, "console", f"{len(errors)} errors logged" + ("".join("\n  " + e["message"][:200] for e in errors[:5])))
    finally:
        browser.quit()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failures; screenshots in {OUT}; {time.time() - started:.0f} s")
    sys.exit(1 if failures else 0)


main()
