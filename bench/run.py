"""The engine against baselines, side by side in one run (see bench/README.md).

Default (issue 21): the engine against a hand-written script. For each scale the source is
generated once (bench/skewed-source.sql unless --source demo) into the target database itself;
then N rounds of: (a) `engine run --full-refresh` of the whole pipeline from scratch, (b) a 1 %
delta at once (appointments, users and profiles changed), (c) a no-op rerun, (d) the hand-written
script (bench/handwritten-marts.sql) computing the four marts straight from the source, whose
marts are compared with the engine's row for row. Ratios: full / script, delta / full, no-op / full.

--rendered: the earlier comparison. The source in a database of its own; alternately (a) `engine
run` from scratch and (b) the SQL that `engine render --full-refresh` prints, through psql, with
extraction by raw `psql COPY ... TO STDOUT | psql COPY ... FROM STDIN` pipes; after each (a), a
no-op rerun and a rerun after a 1 % change. --extract: the same for staging 1 alone.

Migrations and seeds are applied before each from-scratch run, outside the timing, for both sides alike.
"""
import json, os, re, secrets, statistics, subprocess, sys, time

engine = sys.argv[1]
args = sys.argv[2:]
runs = 5
extract_only = "--extract" in args
if extract_only: args.remove("--extract")
rendered = extract_only or "--rendered" in args
if "--rendered" in args: args.remove("--rendered")
source_kind = "skewed" if not rendered else "demo"
if "--source" in args:
    i = args.index("--source"); source_kind = args[i + 1]; del args[i:i + 2]
    if source_kind not in ("skewed", "demo"): sys.exit("--source is skewed (bench/skewed-source.sql) or demo (pipelines/lacrei/demo)")
as_of = "2026-11-15"   # pinned: both sides publish the same closed months (SPEC §9.5)
if "-n" in args:
    i = args.index("-n"); runs = int(args[i + 1]); del args[i:i + 2]
scales = [int(a) for a in args] or [1, 10, 100]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
target = f"{server}/bench_target"
# The hand-written script reads the source where it is: the measurement had it in the same database.
source = f"{server}/bench_source" if rendered else target
os.environ["PGOPTIONS"] = "-c client_min_messages=warning"
# Keyed pseudonyms (SPEC §9.4): a key of the bench's own unless one is given; the baseline's psql
# hands it to each step's transaction as the engine does (there as a psql variable).
pseudonym_key = os.environ.get("LACREI_PSEUDONYM_KEY") or "bench-" + secrets.token_hex(24)
env = dict(os.environ, DATABASE_URL=target, LACREI_PSEUDONYM_KEY=pseudonym_key)
if rendered: env["LACREI_SOURCE_URL"] = source
else: env.pop("LACREI_SOURCE_URL", None)
schema = '"lacreisaude-relacional"'
layer_schemas = ["lacreisaude_staging_01", "lacreisaude_staging_02", "lacreisaude_model", "lacreisaude_mart",
                 "lacreisaude_seeds", "lacreisaude_pipeline"]

def psql(url, sql=None, stdin=None, *extra):
    command = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", *extra] + (["-c", sql] if sql else [])
    subprocess.run(command, input=stdin, check=True, stdout=subprocess.DEVNULL, text=isinstance(stdin, str))

def engine_cmd(*a, capture=False):
    return subprocess.run([engine, *a, "-q"], env=env, cwd=root, check=True, text=True,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL)

def timed(fn):
    start = time.perf_counter(); fn(); return time.perf_counter() - start

def template(path, scale):
    text = open(os.path.join(root, "pipelines/lacrei/demo", path)).read()
    return text.replace("{{ source_schema }}", schema).replace("{{ scale }}", str(scale))

def reset_target():
    psql(target, "; ".join(f'DROP SCHEMA IF EXISTS "{s}" CASCADE' for s in layer_schemas))
    engine_cmd("migrate"); engine_cmd("seed")

def engine_run(*extra):
    """The whole run (staging 1 only with --extract); returns (result, peak RSS in MB) via /usr/bin/time and --json."""
    only = ["--only", "staging1"] if extract_only else []
    result = subprocess.run(["/usr/bin/time", "-f", "%M", engine, "run", *only, *extra, "--as-of", as_of, "--json", "-q"], env=env, cwd=root,
                            check=True, text=True, capture_output=True)
    rss_kb = int(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout), rss_kb / 1024

def baseline_plan():
    """The rendered SQL split into extraction pipes and one psql script for the rest."""
    text = engine_cmd("render", "--full-refresh", "--as-of", as_of, capture=True).stdout
    steps = re.split(r"^-- ==== (\S+) \((\w+)\) ====\n", text, flags=re.M)[1:]
    pipes, script = [], []
    for name, kind, sql in zip(steps[0::3], steps[1::3], steps[2::3]):
        if kind != "extract":
            key = 'SELECT "lacreisaude_pipeline".lp_use_pseudonym_key(:\'pseudonym_key\');\n' if "lp_pseudonym(" in sql else ""
            script.append(f"BEGIN;\n{key}{sql}\nCOMMIT;\n"); continue
        query = re.search(r"^-- source: COPY \((.*)\) TO STDOUT \(FORMAT BINARY\)$", sql, re.M).group(1)
        table = re.search(r'FROM "lacreisaude-relacional"\."(\w+)"', query).group(1)
        statements = [line for line in sql.splitlines() if line and not line.startswith("--")]
        pipes.append((table, query, statements))
    return pipes, "".join(script)

def column_types(table, query):
    """The temp table's DDL: the source query's output columns with the source's types."""
    out = subprocess.run(["psql", source, "-X", "-At", "-c", f"CREATE TEMP TABLE probe AS {query} LIMIT 0",
        "-c", "SELECT quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
              "WHERE attrelid = 'probe'::regclass AND attnum > 0 ORDER BY attnum"],
        check=True, text=True, capture_output=True).stdout.splitlines()
    return ", ".join(line for line in out if line and not line.startswith("SELECT"))

def baseline_run(pipes, script):
    for table, query, statements in pipes:
        ddl = column_types(table, query)
        statements = [s.replace("<the source's column types>", ddl) for s in statements]
        producer = subprocess.Popen(["psql", source, "-X", "-q", "-c", f"COPY ({query}) TO STDOUT (FORMAT BINARY)"], stdout=subprocess.PIPE)
        consumer = ["psql", target, "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1"] + [a for s in statements for a in ("-c", s)]
        subprocess.run(consumer, stdin=producer.stdout, check=True, stdout=subprocess.DEVNULL)
        producer.wait()
    if not extract_only:
        psql(target, None, script, "-v", f"pseudonym_key={pseudonym_key}")

def change_one_percent(i):
    psql(source, f"""
        UPDATE {schema}.lacreiid_appointment SET status = 'completed', updated_at = TIMESTAMPTZ '2026-01-01' + interval '{i} minutes' WHERE id % 100 = {i};
        UPDATE {schema}.lacreiid_user SET is_active = NOT coalesce(is_active, false), updated_at = TIMESTAMPTZ '2026-01-01' + interval '{i} minutes' WHERE id % 100 = {i};
        UPDATE {schema}.lacreiid_profile SET completed = NOT coalesce(completed, false), updated_at = TIMESTAMPTZ '2026-01-01' + interval '{i} minutes' WHERE id % 100 = {i};""")

def median(xs): return statistics.median(xs)

def startup():
    samples = []
    for _ in range(10):
        samples.append(timed(lambda: subprocess.run([engine, "validate"], cwd=root, check=True, stdout=subprocess.DEVNULL)))
    return median(samples)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_marts import compare

def handwritten_run():
    psql(target, None, None, "-v", f"as_of={as_of}", "-v", "k=5", "-v", "tz=America/Sao_Paulo", "-v", f"src={schema}",
         "-f", os.path.join(root, "bench/handwritten-marts.sql"))

def load():
    """1-minute load average: the machine is shared, so every table says what it ran beside."""
    return os.getloadavg()[0]

rows_out = []
loads = []
for scale in scales:
    print(f"scale {scale}: generating the source ({source_kind}) ...", file=sys.stderr, flush=True)
    for db in ("bench_target", "bench_source") if rendered else ("bench_target",):
        psql(f"{server}/postgres", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"); psql(f"{server}/postgres", f"CREATE DATABASE {db}")
    psql(source, None, template("source-schema.sql", scale))
    if source_kind == "demo": psql(source, None, template("generate.sql", scale))
    else: psql(source, None, None, "-1", "-v", f"scale={scale}", "-v", f"source_schema={schema}", "-f", os.path.join(root, "bench/skewed-source.sql"))
    appointments = subprocess.run(["psql", source, "-X", "-At", "-c", f"SELECT count(*) FROM {schema}.lacreiid_appointment"],
                                  check=True, text=True, capture_output=True).stdout.strip()
    reset_target()
    if not rendered:
        results = {"full": [], "script": [], "delta": [], "noop": [], "rss": [], "steps": []}
        for i in range(runs):
            print(f"scale {scale}: round {i + 1}/{runs}", file=sys.stderr, flush=True)
            loads.append(load())
            reset_target()
            start = time.perf_counter(); result, rss = engine_run("--full-refresh"); results["full"].append(time.perf_counter() - start)
            results["rss"].append(rss); results["steps"].append({s["step"]: s["seconds"] for s in result["steps"]})
            change_one_percent(i)
            start = time.perf_counter(); result, rss = engine_run(); results["delta"].append(time.perf_counter() - start); results["rss"].append(rss)
            results.setdefault("delta_steps", []).append({s["step"]: s["seconds"] for s in result["steps"]})
            start = time.perf_counter(); _, rss = engine_run(); results["noop"].append(time.perf_counter() - start); results["rss"].append(rss)
            results["script"].append(timed(handwritten_run))
            same = compare(target)
            for mart, engine_rows, script_rows, only_engine, only_script in same:
                print(f"  {mart:<26} engine {engine_rows:>7} rows, script {script_rows:>7} rows: "
                      + ("same rows" if only_engine == only_script == 0 else f"DIFFERENT ({only_engine} only in the engine's, {only_script} only in the script's)"),
                      file=sys.stderr, flush=True)
            if any(r[3] or r[4] for r in same): sys.exit(f"scale {scale}: the engine's marts differ from the hand-written script's")
        loads.append(load())
        f, s = median(results["full"]), median(results["script"])
        rows_out.append((scale, appointments, f, s, median(results["delta"]), median(results["noop"]), max(results["rss"])))
        if os.environ.get("BENCH_STEPS"):
            for kind in ("steps", "delta_steps"):
                print(f"scale {scale}: slowest steps of the {'full refresh' if kind == 'steps' else '1 % delta'} (median s):", file=sys.stderr)
                names = results[kind][0].keys()
                for name, sec in sorted(((n, median([r.get(n, 0) for r in results[kind]])) for n in names), key=lambda x: -x[1])[:12]:
                    print(f"  {name:<50} {sec:6.3f}", file=sys.stderr)
        continue
    pipes, script = baseline_plan()
    results = {"engine": [], "baseline": [], "noop": [], "delta": [], "rss": [], "rows": []}
    for i in range(runs):
        print(f"scale {scale}: round {i + 1}/{runs}", file=sys.stderr, flush=True)
        reset_target()
        start = time.perf_counter(); result, rss = engine_run(); results["engine"].append(time.perf_counter() - start)
        results["rss"].append(rss); results["rows"].append(sum(s["rows"] for s in result["steps"]))
        start = time.perf_counter(); _, rss = engine_run(); results["noop"].append(time.perf_counter() - start); results["rss"].append(rss)
        change_one_percent(i)
        start = time.perf_counter(); _, rss = engine_run(); results["delta"].append(time.perf_counter() - start); results["rss"].append(rss)
        reset_target()
        results["baseline"].append(timed(lambda: baseline_run(pipes, script)))
    e, b = median(results["engine"]), median(results["baseline"])
    rows_out.append((scale, appointments, e, b, e / b, median(results["noop"]), median(results["delta"]), max(results["rss"]),
                     median(results["rows"]) / e))

print()
if not rendered:
    print(f"the engine against a hand-written script (bench/handwritten-marts.sql), source: {source_kind}, in the target database")
    print(f"{'scale':>5} {'appointments':>12} {'full s':>7} {'script s':>8} {'full/script':>11} {'1% delta s':>10} {'delta/full':>10} "
          f"{'no-op s':>8} {'no-op/full':>10} {'peak RSS MB':>11}")
    for scale, appts, f, s, delta, noop, rss in rows_out:
        print(f"{scale:>5} {appts:>12} {f:>7.2f} {s:>8.2f} {f / s:>11.2f} {delta:>10.2f} {100 * delta / f:>9.1f}% "
              f"{noop:>8.2f} {100 * noop / f:>9.1f}% {rss:>11.0f}")
    print("targets: full/script <= 1.25, delta/full <= 10 %, no-op/full <= 5 %, peak RSS <= 150 MB")
    print(f"median of {runs} rounds (full refresh from scratch, 1 % delta at once, no-op, script; marts equal row for row every round), "
          f"whole process; engine --threads = cores ({os.cpu_count()}); engine build: {os.environ.get('BENCH_BUILD', 'as given')}; "
          f"load average {min(loads):.1f}-{max(loads):.1f}")
    sys.exit(0)
print()
if extract_only:
    print("extraction only (staging 1: 16 tables by binary COPY) — ratio = engine throughput / baseline throughput (target >= 0.9)")
    print(f"{'scale':>5} {'appointments':>12} {'engine s':>9} {'baseline s':>10} {'throughput':>10} {'no-op s':>8} {'no-op %':>8} "
          f"{'1% delta s':>10} {'delta %':>8} {'peak RSS MB':>11} {'rows/s':>10}")
    for scale, appts, e, b, ratio, noop, delta, rss, rps in rows_out:
        print(f"{scale:>5} {appts:>12} {e:>9.2f} {b:>10.2f} {1 / ratio:>10.2f} {noop:>8.2f} {100 * noop / e:>7.1f}% "
              f"{delta:>10.2f} {100 * delta / e:>7.1f}% {rss:>11.0f} {rps:>10.0f}")
    print(f"median of {runs} runs of each kind, whole process; engine build: {os.environ.get('BENCH_BUILD', 'as given')}")
    sys.exit(0)
print(f"{'scale':>5} {'appointments':>12} {'engine s':>9} {'baseline s':>10} {'ratio':>6} {'no-op s':>8} {'no-op %':>8} "
      f"{'1% delta s':>10} {'delta %':>8} {'peak RSS MB':>11} {'rows/s':>10}")
for scale, appts, e, b, ratio, noop, delta, rss, rps in rows_out:
    print(f"{scale:>5} {appts:>12} {e:>9.2f} {b:>10.2f} {ratio:>6.2f} {noop:>8.2f} {100 * noop / e:>7.1f}% "
          f"{delta:>10.2f} {100 * delta / e:>7.1f}% {rss:>11.0f} {rps:>10.0f}")
if len(rows_out) > 1 and rows_out[-1][0] == 10 * rows_out[-2][0]:
    print(f"time growth from scale {rows_out[-2][0]} to {rows_out[-1][0]}: x{rows_out[-1][2] / rows_out[-2][2]:.2f} (target <= 11)")
print(f"median of {runs} runs of each kind, whole process; engine --threads = cores ({os.cpu_count()}); engine build: {os.environ.get('BENCH_BUILD', 'as given')}")
print(f"startup: engine validate on the Lacrei pipeline, median of 10: {startup() * 1000:.0f} ms (target <= 300)")
