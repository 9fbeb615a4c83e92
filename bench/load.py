#!/usr/bin/env python
"""Load test: the portal under gunicorn on loopback, many concurrent readers, a realistic mix.

    .venv/bin/python bench/load.py                      # demo + 10,000 imported pages, 50 clients, 60 s
    .venv/bin/python bench/load.py --pages 2000 --seconds 30
    .venv/bin/python bench/load.py --pages 0 --seconds 20   # the demo alone
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_load .venv/bin/python bench/load.py

The data set is built once (migrate, load_demo, then `import_content` of a generated package)
and kept in --workdir, so later runs only measure. Results are printed and written into
docs/benchmarks.md between the markers of the "Last" section. Traffic goes to 127.0.0.1 only,
and every loop is bounded in time.

One run measures twice, on the same data: with the page cache off (PAGE_CACHE_SECONDS=0) and on
(core/pagecache.py), and then, with the cache warm and no other traffic, one client asking for a
cached page and for /healthz in turn. Only the answer a reader should get counts as a success:
200 (a redirect, a 404 or a 5xx is an error, with its status in the report).
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"

WORDS = (
    "legemiddelsamstemming utskrivning innleggelse hjemmesykepleie fastlege kommune sykehus "
    "pasientforløp KOLS demens palliasjon ernæring fallforebygging rehabilitering BUP DPS FACT "
    "rus psykisk helse barn unge eldre koordinator individuell plan legevakt KAD PLO-melding "
    "samarbeidsavtale tjenesteavtale oppfølging vurdering kartlegging dokumentasjon"
).split()
QUERIES = [
    "legemiddelsamstemming",
    "utskrivning av skrøpelige eldre",
    "KOLS",
    "hvem har ansvar for legemidler ved utskrivning",
    "demens",
    "palliasjon hjemme",
    "BUP henvisning",
    "prosedyrer",
    "ernæringsscreening",
    "legemidel",
    "FACT",
    "kommunale akutte døgnplasser",
]
KINDS = ["procedure", "recommendation", "good_example"]
TARGET_GROUPS = ["barn-og-unge", "psykisk-helse-og-rus", "skropelige-eldre", "flere-kroniske-lidelser"]


def manage(env, *args, quiet=True):
    out = subprocess.DEVNULL if quiet else None
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=out)


def generated_package(count, seed=7):
    rng = random.Random(seed)
    items = []
    for n in range(count):
        topic_words = rng.sample(WORDS, 4)
        body = " ".join(rng.choice(WORDS) for _ in range(180))
        items.append(
            {
                "uid": f"last-{n:06d}",
                "type": KINDS[n % 3],
                "community": ["oslo", "ahus", "vestre-viken", "sentral"][n % 4],
                "title": f"{topic_words[0].capitalize()} og {topic_words[1]} ({n})",
                "summary": f"Rutine for {topic_words[2]} og {topic_words[3]} i samarbeid mellom nivåene.",
                "body": f"<h2>{topic_words[1].capitalize()}</h2><p>{body}</p>",
                "target_groups": rng.sample(TARGET_GROUPS, 2),
                "topics": [rng.choice(["legemidler", "rehabilitering", "palliasjon", "demens"])],
                "next_review": f"2027-{rng.randint(1, 12):02d}-15",
            }
        )
    return {"format": "kompetanse-package", "version": 1, "items": items}


def build(env, workdir, pages):
    marker = workdir / f"built-{pages}"
    if marker.exists():
        print(f"Data set finnes fra før i {workdir}.")
        return
    started = time.perf_counter()
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    chunk = 1000
    everything = generated_package(pages)
    for start in range(0, pages, chunk):
        package = {**everything, "items": everything["items"][start : start + chunk]}
        path = workdir / "pakke.json"
        path.write_text(json.dumps(package), encoding="utf-8")
        manage(env, "import_content", str(path))
        print(f"  importert {min(start + chunk, pages)} av {pages} ({time.perf_counter() - started:.0f} s)")
    manage(env, "collectstatic", "--no-input")
    marker.write_text(f"{time.perf_counter() - started:.0f} s\n")


def page_urls(env):
    code = (
        "from kompetanse.models import KnowledgePage, LISTING_MODELS, CommunityHomePage;"
        "import json;"
        "pages=[p.url for p in KnowledgePage.objects.live().order_by('?')[:2000]];"
        "listings=[p.url for m in LISTING_MODELS for p in m.objects.live()];"
        "homes=['/']+[p.url for p in CommunityHomePage.objects.live()];"
        "first=KnowledgePage.objects.live().order_by('pk').first();"
        "changed={'id':first.pk,'url':first.url,'listing':first.get_parent().url};"
        "print(json.dumps({'pages':pages,'listings':listings,'homes':homes,'changed':changed}))"
    )
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def request_mix(urls, rng):
    roll = rng.random()
    if roll < 0.40:
        return "side", rng.choice(urls["pages"])
    if roll < 0.55:
        listing = rng.choice(urls["listings"])
        params = rng.choice(
            [{}, {"malgruppe": rng.choice(TARGET_GROUPS)}, {"sortering": "tittel"}, {"side": 2}]
        )
        return "liste", listing + ("?" + urlencode(params) if params else "")
    if roll < 0.65:
        return "forside", rng.choice(urls["homes"])
    if roll < 0.90:
        params = {"q": rng.choice(QUERIES)}
        if rng.random() < 0.3:
            params["target_group"] = rng.choice(TARGET_GROUPS)
        return "søk", "/sok/?" + urlencode(params)
    prefix = rng.choice(QUERIES)[: rng.randint(3, 6)]
    return "autofullfør", "/sok/forslag/?" + urlencode({"q": prefix})


def client_loop(port, urls, deadline, seed, results, lock):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    local = []
    while time.monotonic() < deadline:
        kind, path = request_mix(urls, rng)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
            response = conn.getresponse()
            response.read()
            status = response.status
            cache = response.getheader("X-Cache", "")
        except (OSError, http.client.HTTPException):
            status, cache = 0, ""
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local.append((kind, status, time.perf_counter() - started, cache))
    conn.close()
    with lock:
        results.extend(local)


def percentile(values, share):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def probe(port, path, count):
    """Median and p95 ms of ``count`` requests for ``path``, one at a time, on one connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times, statuses = [], set()
    for _ in range(count):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        statuses.add((response.status, response.getheader("X-Cache", "")))
    conn.close()
    return statuses, statistics.median(times), percentile(times, 0.95)


PUBLISH_CODE = (
    "from wagtail.models import Page;"
    "page=Page.objects.get(pk={id}).specific;"
    "page.title={title!r};"
    "page.save_revision().publish()"
)


def get_text(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        return response.status, response.getheader("X-Cache", ""), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def publish_during_run(env, port, changed, delay, outcome):
    """Halfway through the run an editor publishes a new title of a page (as the admin does:
    ``save_revision().publish()``, in its own process); the very next request for the page and for
    its listing must show it, whatever the page cache held."""
    time.sleep(delay)
    cached_before = {}
    for path in (changed["url"], changed["listing"]):
        # Asked until a worker answers from the page cache: the old version is cached somewhere.
        cached_before[path] = any(get_text(port, path)[1] == "hit" for _ in range(3 * 10))
    title = f"Oppdatert under lasttest {secrets.token_hex(3)}"
    code = PUBLISH_CODE.format(id=changed["id"], title=title)
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, capture_output=True
    )
    for path in (changed["url"], changed["listing"]):
        status, cache, text = get_text(port, path)
        outcome[path] = (cached_before[path], status, cache, title in text)


def run_load(env, port, clients, seconds, workers, urls, probe_path=None, publish=False):
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--pythonpath",
            "site",
            "wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit("gunicorn startet ikke.")
        results, lock = [], threading.Lock()
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=client_loop, args=(port, urls, deadline, n, results, lock))
            for n in range(clients)
        ]
        published = {}
        if publish:
            threads.append(
                threading.Thread(
                    target=publish_during_run, args=(env, port, urls["changed"], seconds / 2, published)
                )
            )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 60)
        probes = {}
        if publish:
            probes["published"] = published
        if probe_path:
            # Every worker process has its own memory cache: ask often enough that each has it.
            probe(port, probe_path, workers * 10)
            probes.update({path: probe(port, path, 300) for path in (probe_path, "/healthz")})
        return results, probes
    finally:
        server.terminate()
        server.wait(timeout=30)


def table(results, seconds):
    """Lines of one run's table; only 200 counts as an answer a reader should get."""
    ok = [r for r in results if r[1] == 200]
    errors = [r for r in results if r[1] != 200]
    lines = [
        "| Forespørsel | Antall | Treff i sidebufferen | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind in sorted({r[0] for r in results}) + ["alle"]:
        mine = [r for r in results if kind == "alle" or r[0] == kind]
        values = [r[2] * 1000 for r in ok if kind == "alle" or r[0] == kind]
        hits = len([r for r in mine if r[3] == "hit"])
        lines.append(
            f"| {kind} | {len(mine)} | {hits} | {statistics.median(values) if values else 0:.0f} | "
            f"{percentile(values, 0.95):.0f} | {percentile(values, 0.99):.0f} |"
        )
    lines += [
        "",
        f"Riktige svar (200): **{len(ok) / seconds:.1f} per sekund** av {len(results) / seconds:.1f} "
        f"forespørsler/s. Feil: **{len(errors)}** (statuskoder: {sorted({r[1] for r in errors}) or 'ingen'}).",
    ]
    return lines, len(errors)


def report(runs, probes, args, database, pages_total):
    lines = [
        f"Målt {time.strftime('%Y-%m-%d %H:%M')} på {os.cpu_count()} kjerner: {database}, "
        f"{pages_total} fagsider, {args.clients} samtidige klienter i {args.seconds} s per runde, "
        f"gunicorn med {args.workers} prosesser × 4 tråder.",
    ]
    errors = 0
    for label, results in runs:
        run_lines, run_errors = table(results, args.seconds)
        errors += run_errors
        lines += ["", f"**{label}**", "", *run_lines]
    published = probes.pop("published", None)
    if published is not None:
        lines += [
            "",
            "**Publisert midt i runden med sidebuffer** (ny tittel; neste forespørsel etter publiseringen):",
            "",
        ]
        for path, (cached_before, status, cache, shown) in published.items():
            before = "i sidebufferen før publiseringen" if cached_before else "ikke funnet i sidebufferen før"
            lines.append(
                f"- `{path}` ({before}): {status} {cache}, ny tittel {'vises' if shown else '**vises ikke**'}"
            )
            errors += 0 if shown and status == 200 else 1
    if probes:
        lines += [
            "",
            "**Én klient, bufferen varm, ingen annen trafikk** (300 forespørsler hver):",
            "",
            "| Adresse | Svar | p50 ms | p95 ms |",
            "| --- | --- | ---: | ---: |",
        ]
        for path, (statuses, p50, p95) in probes.items():
            shown = ", ".join(f"{status} {cache}".strip() for status, cache in sorted(statuses))
            lines.append(f"| `{path}` | {shown} | {p50:.1f} | {p95:.1f} |")
    text = "\n".join(lines)
    print(text)
    if args.no_write:
        return errors
    path = ROOT / "docs" / "benchmarks.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Ytelsesmålinger\n"
    section = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in current and END in current:
        current = current[: current.index(BEGIN)] + section + current[current.index(END) + len(END) :]
    else:
        current += f"\n## Last (bench/load.py)\n\n{section}\n"
    path.write_text(current, encoding="utf-8")
    return errors


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workdir", default="/tmp/kompetanse-load")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    parser.add_argument("--build-only", action="store_true", help="build the data set, measure later")
    args = parser.parse_args()

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'load.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "DB_CONN_MAX_AGE": "60",
    }
    build(env, workdir, args.pages)
    if args.build_only:
        return
    urls = page_urls(env)
    runs, probes = [], {}
    for label, extra in (
        ("Uten sidebuffer (PAGE_CACHE_SECONDS=0)", {"PAGE_CACHE_SECONDS": "0"}),
        ("Med sidebuffer (core/pagecache.py)", {}),
    ):
        probe_path = None if extra else urls["pages"][0]
        results, run_probes = run_load(
            {**env, **extra},
            args.port,
            args.clients,
            args.seconds,
            args.workers,
            urls,
            probe_path,
            publish=not extra,
        )
        runs.append((label, results))
        probes.update(run_probes)
    kind = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    errors = report(runs, probes, args, kind, args.pages + 45)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
