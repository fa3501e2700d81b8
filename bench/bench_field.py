"""今日任务 on a mid-range phone: offline start-up, what the phone keeps, and syncing a day's queue.

On the demo brigade (``brigade demo``, ~3,000 units, in a temporary SQLite folder unless ``--var``
names one already built), a Brigade server on loopback (``brigade runserver``, DEBUG on so it
serves its static files) and Debian's Chromium as a 390×844 touch phone with a supervision
officer signed in:

1. the worklist and a unit's page ready **offline**, with Chromium's CPU throttled 4x
   (``Emulation.setCPUThrottlingRate``), against the online server-rendered 待办事项 and unit pages
   under the same throttling — the pages an officer would otherwise open. Timed in the page, from
   the navigation's start (the officer's tap) to the content showing; the wall clock around
   Playwright's commands is printed beside it;
2. what the phone keeps: Cache Storage (the service worker's files) and IndexedDB (the data), as
   ``navigator.storage.estimate`` and as bytes per unit, scaled to an officer with 200 units;
3. 50 inspections, each with a hazard and a 1600×1200 photo, queued and then synced on loopback,
   checked in the database afterwards (each exactly once).

    .venv/bin/python bench/bench_field.py [--var DIR] [--records 50]

Targets (issue 19): ready offline < 1 s; cache < 5 MB for 200 units; 50 inspections with photos
synced < 10 s. Only 127.0.0.1 is ever contacted.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(var: Path) -> tuple[str, int]:
    """The demo brigade in ``var`` (built when missing); a signed-in officer's session and a unit id."""
    env = {**os.environ, "BRIGADE_VAR_DIR": str(var)}
    env.pop("DATABASE_URL", None)
    if not (var / "brigade.sqlite3").exists():
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "brigade"), "migrate", "-v", "0"], env=env, check=True)
        subprocess.run([str(BIN / "brigade"), "demo"], env=env, check=True, capture_output=True)
        print(f"demo brigade built in {time.perf_counter() - t0:.0f} s")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    os.environ.update({"BRIGADE_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "brigade.settings",
                       "DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from brigade.core.roles import SUPERVISION, assign_role
    from brigade.units.models import SocialUnit

    user, created = User.objects.get_or_create(username="bench-officer")
    if created:
        assign_role(user, SUPERVISION)
    client = Client()
    client.force_login(user)
    unit = SocialUnit.objects.annotate(n=Count("hazards")).order_by("-n", "pk").first()
    return client.cookies["sessionid"].value, unit.pk


def wait_ready(page, selector: str) -> None:
    page.wait_for_selector(selector, state="attached", timeout=30000)


# Each page notes when a selector first matches, in ms from the start of its navigation (what the
# officer waits for after a tap), so Playwright's own round trips on a busy machine are not counted.
SEEN = """
window.__seen = {};
new MutationObserver(() => {
  for (const sel of %s) {
    if (!(sel in window.__seen) && document.querySelector(sel)) { window.__seen[sel] = performance.now(); }
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
READY = ["#field[data-ready=yes] .worklist", "#field[data-ready=yes] .unit-card", "table.grid", "dl.fields"]


def timed(action, selector, page) -> tuple[float, float]:
    """Seconds until ``selector`` shows: in the page from its navigation's start, and as a wall clock."""
    t0 = time.perf_counter()
    action()
    wait_ready(page, selector)
    wall = time.perf_counter() - t0
    return page.evaluate(f"() => window.__seen[{selector!r}]") / 1000, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, help="a folder with the demo brigade already built (default: a new one)")
    parser.add_argument("--records", type=int, default=50)
    args = parser.parse_args()
    var = args.var or Path(tempfile.mkdtemp(prefix="brigade-field-"))
    session, unit_id = prepare(var)
    from brigade.supervision.models import Hazard, Inspection, Photo

    tag = f"bench-field {os.getpid()}-{int(time.time())} "

    port = free_port()
    env = {**os.environ, "BRIGADE_VAR_DIR": str(var), "BRIGADE_DEBUG": "1"}
    server = subprocess.Popen([str(BIN / "brigade"), "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="zh-CN", device_scale_factor=2)
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            context.add_init_script(SEEN % json.dumps(READY))
            page = context.new_page()
            page.set_default_timeout(60000)
            page.goto(base + "/field/")
            wait_ready(page, "#field[data-ready=yes]")
            page.wait_for_function("async () => !!(await caches.match('/field/'))", timeout=60000)
            page.reload()
            wait_ready(page, "#field[data-ready=yes]")
            units = page.evaluate("() => FieldStore.loadSnapshot().then(d => d.units.length)")
            worklist = page.evaluate("() => FieldStore.loadSnapshot().then(d => d.worklist.length)")

            # 1. Offline start-up under 4x CPU throttling, against the online server pages.
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            online_worklist = timed(lambda: page.goto(base + "/worklist/"), "table.grid", page)
            online_unit = timed(lambda: page.goto(base + f"/records/units/{unit_id}/"), "dl.fields", page)
            page.goto(base + "/field/")
            wait_ready(page, "#field[data-ready=yes]")
            context.set_offline(True)
            offline_worklist = timed(lambda: page.reload(), "#field[data-ready=yes] .worklist", page)
            t0 = time.perf_counter()
            tapped = page.evaluate(f"() => {{ const t = performance.now(); location.hash = 'unit-{unit_id}'; return t; }}")
            wait_ready(page, "#field[data-ready=yes] .unit-card")
            offline_unit = ((page.evaluate("() => window.__seen['#field[data-ready=yes] .unit-card']") - tapped) / 1000,
                            time.perf_counter() - t0)
            page.goto("about:blank")
            cold_unit = timed(lambda: page.goto(base + f"/field/#unit-{unit_id}"), "#field[data-ready=yes] .unit-card",
                              page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            context.set_offline(False)

            # 2. What the phone keeps.
            kept = page.evaluate("""async () => {
                let cache = 0;
                for (const name of await caches.keys()) {
                  const c = await caches.open(name);
                  for (const req of await c.keys()) { cache += (await (await c.match(req)).blob()).size; }
                }
                const data = new Blob([JSON.stringify(await FieldStore.loadSnapshot())]).size;
                const estimate = await navigator.storage.estimate();
                return {cache, data, usage: estimate.usage};
            }""")

            # 3. A day's queue: inspections with a hazard and a photo each, then one sync.
            before = Inspection.objects.count()
            n = args.records
            page.evaluate("""async ([unitId, n, tag]) => {
                const canvas = document.createElement('canvas'); canvas.width = 1600; canvas.height = 1200;
                const g = canvas.getContext('2d');
                for (let i = 0; i < n; i++) {
                  for (let k = 0; k < 40; k++) {  // enough detail that JPEG cannot shrink it to nothing
                    g.fillStyle = `hsl(${(i * 37 + k * 11) % 360}, 60%, ${30 + k % 40}%)`;
                    g.fillRect((k * 97 + i * 13) % 1500, (k * 61 + i * 7) % 1100, 100 + k * 3, 80 + k * 2);
                  }
                  const blob = await new Promise(r => canvas.toBlob(r, 'image/jpeg', 0.8));
                  const cid = () => FieldStore.uuid();
                  await FieldStore.add({type: 'inspection', unit_id: unitId, unit_name: 'bench',
                    inspection: {client_id: cid(), unit: unitId, inspected_on: new Date().toISOString().slice(0, 10),
                                 kind: 'random', campaign: '', note: tag + i},
                    photos: [{client_id: cid(), name: 'p.jpg', blob}],
                    hazards: [{client_id: cid(), category: 'fire_lane', description: tag + i, is_major: false,
                               photos: []}]});
                }
            }""", [unit_id, n, tag])
            photo_bytes = page.evaluate("() => FieldStore.entries().then(es => es.reduce((s, e) => s + e.photos[0].blob.size, 0))")
            t0 = time.perf_counter()
            page.evaluate("() => brigadeField.sync()")
            sync_seconds = time.perf_counter() - t0
            left = page.evaluate("() => FieldStore.entries().then(es => es.length)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    stored = Inspection.objects.filter(note__startswith=tag)
    per_unit = (kept["cache"] + kept["data"]) / max(units, 1)
    for_200 = kept["cache"] + kept["data"] / max(units, 1) * 200
    print(f"demo brigade: {units} units visible to the officer, {worklist} worklist items; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores during the run")
    print("\n1. ready offline, CPU throttled 4x: s from the tap (navigation start) to the content, in the page;"
          " wall clock incl. Playwright in brackets")
    print("                                              today's task page      server page online    ratio")
    rows = (("worklist", offline_worklist, online_worklist), ("a unit (from the worklist, same page)", offline_unit,
            online_unit), ("a unit (page opened cold, offline)", cold_unit, None))
    for label, ours, theirs in rows:
        line = f"   {label:<42}{ours[0]:6.3f} ({ours[1]:5.2f})"
        if theirs:
            line += f"       {theirs[0]:6.3f} ({theirs[1]:5.2f})     {theirs[0] / ours[0]:5.1f}x"
        print(line)
    print(f"   target < 1 s: {'met' if max(offline_worklist[0], cold_unit[0]) < 1 else 'NOT met'}")
    print(f"\n2. kept on the phone: service-worker cache {kept['cache'] / 1024:.0f} kB, data {kept['data'] / 1024:.0f} kB"
          f" ({per_unit / 1024:.2f} kB per unit); storage estimate {kept['usage'] / 1024 / 1024:.2f} MB")
    print(f"   an officer with 200 units: {for_200 / 1024 / 1024:.2f} MB (target < 5 MB: "
          f"{'met' if for_200 < 5 * 1024 * 1024 else 'NOT met'}); this officer's {units} units: "
          f"{(kept['cache'] + kept['data']) / 1024 / 1024:.2f} MB")
    print(f"\n3. sync of {n} queued inspections (each with a hazard and a photo, {photo_bytes / n / 1024:.0f} kB a photo "
          f"on average): {sync_seconds:.2f} s ({sync_seconds / n * 1000:.0f} ms each), {left} left in the queue")
    print(f"   in the database: {stored.count()} inspections, "
          f"{Hazard.objects.filter(description__startswith=tag).count()} hazards, "
          f"{Photo.objects.filter(inspection__in=stored).count()} photos (was {before} inspections before)")
    print(f"   target < 10 s: {'met' if sync_seconds < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
