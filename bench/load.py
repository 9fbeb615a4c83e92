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
import asyncio
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


LISTING_PARAMS = [
    {},
    *({"malgruppe": group} for group in TARGET_GROUPS),
    {"sortering": "tittel"},
    {"side": 2},
]
SEARCH_PARAMS = [{}, *({"target_group": group} for group in TARGET_GROUPS)]


def _listing(listing, params):
    return listing + ("?" + urlencode(params) if params else "")


def _search(query, params):
    return "/sok/?" + urlencode({"q": query, **params})


def _suggest(prefix):
    return "/sok/forslag/?" + urlencode({"q": prefix})


def request_mix(urls, rng):
    """One reader's request: 40 % content pages, 15 % listings (some filtered, sorted or page 2),
    10 % front pages, 25 % searches (30 % of them filtered), 10 % autocomplete."""
    roll = rng.random()
    if roll < 0.40:
        return "side", rng.choice(urls["pages"])
    if roll < 0.55:
        params = LISTING_PARAMS[0] if rng.random() < 0.25 else rng.choice(LISTING_PARAMS[1:])
        return "liste", _listing(rng.choice(urls["listings"]), params)
    if roll < 0.65:
        return "forside", rng.choice(urls["homes"])
    if roll < 0.90:
        params = rng.choice(SEARCH_PARAMS[1:]) if rng.random() < 0.3 else {}
        return "søk", _search(rng.choice(QUERIES), params)
    query = rng.choice(QUERIES)
    return "autofullfør", _suggest(query[: rng.randint(3, 6)])


def every_address(urls):
    """Every address ``request_mix`` can ask for (what warming the cache visits)."""
    addresses = [*urls["pages"], *urls["homes"]]
    addresses += [_listing(listing, params) for listing in urls["listings"] for params in LISTING_PARAMS]
    addresses += [_search(query, params) for query in QUERIES for params in SEARCH_PARAMS]
    addresses += sorted({_suggest(query[:n]) for query in QUERIES for n in range(3, 7)})
    return addresses


async def _open(port):
    return await asyncio.open_connection("127.0.0.1", port)


async def _ask(reader, writer, path):
    """One GET on a kept-alive connection; returns (status, X-Cache). Reads the whole body."""
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n".encode("latin-1")
    )
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        headers["connection"] = "close"
    return status, headers.get("x-cache", ""), headers.get("connection", "").lower() == "close"


async def _client(port, paths, deadline, results):
    """One reader: asks for ``paths()`` in turn on one kept-alive connection until ``deadline``."""
    reader = writer = None
    while time.monotonic() < deadline:
        kind, path = paths()
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await _open(port)
            status, cache, closed = await asyncio.wait_for(_ask(reader, writer, path), 30)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError):
            status, cache, closed = 0, "", True
        results.append((kind, status, time.perf_counter() - started, cache, time.monotonic()))
        if closed and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


# CPU seconds the load generator used in each measured round, and its requests (for the report).
CLIENT_CPU = []


def drive(port, clients, seconds, paths_for):
    """``clients`` readers at once for ``seconds``, in one asyncio loop (one thread): the load
    generator takes little of the two cores the server needs, and a reader's time is measured
    from the request written to the answer read, without waiting for other client threads."""
    results = []

    async def everyone():
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_client(port, paths_for(n), deadline, results) for n in range(clients)))

    cpu = time.process_time()
    asyncio.run(everyone())
    CLIENT_CPU.append((time.process_time() - cpu, len(results)))
    return results


def warm(port, addresses, clients=8, rounds=6):
    """Ask for every address until nearly all come from the page cache (each app process without
    Redis fills its own); returns the share of hits in the last round."""
    share = 0.0
    for _ in range(rounds):
        queue = list(addresses)

        def paths_for(_n, queue=queue):
            return lambda: ("varm", queue.pop() if queue else "/healthz")

        results = []

        async def once(paths_for=paths_for, results=results, queue=queue):
            async def one(n):
                reader, writer = await _open(port)
                next_path = paths_for(n)
                while queue:
                    kind, path = next_path()
                    status, cache, closed = await _ask(reader, writer, path)
                    results.append((path, status, cache))
                    if closed:
                        writer.close()
                        reader, writer = await _open(port)
                writer.close()

            await asyncio.gather(*(one(n) for n in range(clients)))

        asyncio.run(once())
        hits = sum(1 for _path, _status, cache in results if cache == "hit")
        share = hits / max(1, len(results))
        if share >= 0.97:
            break
    return share


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


def run_load(env, port, args, urls, probe_path=None, publish=False, warm_first=False):
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
            str(args.workers),
            "--threads",
            str(args.threads),
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
        probes = {}
        if warm_first:
            started = time.perf_counter()
            addresses = every_address(urls)
            share = warm(port, addresses)
            probes["warmed"] = (len(addresses), share, time.perf_counter() - started)
        published = {}
        publisher = None
        if publish:
            publisher = threading.Thread(
                target=publish_during_run, args=(env, port, urls["changed"], args.seconds / 2, published)
            )
            publisher.start()

        def paths_for(n):
            rng = random.Random(n)
            return lambda: request_mix(urls, rng)

        results = drive(port, args.clients, args.seconds, paths_for)
        if publisher is not None:
            publisher.join(timeout=60)
            probes["published"] = published
        if probe_path:
            # Every worker process has its own memory cache: ask often enough that each has it.
            probe(port, probe_path, args.workers * 10)
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
    if results:
        # Over time (a publish halfway retires every cached page): answers per second and the
        # share from the page cache, per tenth of the run.
        start = min(r[4] - r[2] for r in results)
        tenths = [[] for _ in range(10)]
        for r in results:
            tenths[min(9, int((r[4] - start) / seconds * 10))].append(r)
        lines.append(
            "Per tidel av runden, svar 200 per sekund (andel fra sidebufferen): "
            + ", ".join(
                f"{len([r for r in part if r[1] == 200]) / (seconds / 10):.0f} "
                f"({len([r for r in part if r[3] == 'hit']) / max(1, len(part)):.0%})"
                for part in tenths
            )
            + "."
        )
    return lines, len(errors)


def report(runs, probes, args, database, pages_total):
    lines = [
        f"Målt {time.strftime('%Y-%m-%d %H:%M')} på {os.cpu_count()} kjerner: {database}, "
        f"{pages_total} fagsider, {args.clients} samtidige klienter i {args.seconds} s per runde, "
        f"gunicorn med {args.workers} prosesser × {args.threads} tråder; klientene i én asyncio-løkke.",
    ]
    errors = 0
    for (label, results), (cpu, count) in zip(runs, CLIENT_CPU, strict=True):
        run_lines, run_errors = table(results, args.seconds)
        errors += run_errors
        lines += ["", f"**{label}**", "", *run_lines]
        lines.append(
            f"Lastgeneratoren brukte {cpu:.1f} s CPU på {args.seconds} s "
            f"({cpu / max(1, count) * 1e6:.0f} µs per forespørsel) av maskinens {os.cpu_count()} kjerner."
        )
    warmed = probes.pop("warmed", None)
    if warmed is not None:
        count, share, took = warmed
        lines += [
            "",
            f"Sidebufferen ble varmet før runden med den: {count} adresser (alle blandingen kan be om) "
            f"på {took:.0f} s, {share:.0%} treff i siste gjennomgang.",
        ]
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
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    parser.add_argument(
        "--cold", action="store_true", help="do not warm the page cache before the cached round"
    )
    parser.add_argument("--only-cached", action="store_true", help="skip the round without the page cache")
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
    rounds = [("Uten sidebuffer (PAGE_CACHE_SECONDS=0)", {"PAGE_CACHE_SECONDS": "0"})]
    if args.only_cached:
        rounds = []
    rounds.append(
        (
            "Med sidebuffer (core/pagecache.py)"
            + (", varmet først" if not args.cold else ", kald ved start"),
            {},
        )
    )
    for label, extra in rounds:
        cached = not extra
        results, run_probes = run_load(
            {**env, **extra},
            args.port,
            args,
            urls,
            urls["pages"][0] if cached else None,
            publish=cached,
            warm_first=cached and not args.cold,
        )
        runs.append((label, results))
        probes.update(run_probes)
    kind = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    errors = report(runs, probes, args, kind, args.pages + 45)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
