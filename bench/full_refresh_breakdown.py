"""Where a full refresh's time goes (issue 21): each step of `engine run --full-refresh` against
its own SELECT run alone as CREATE TABLE AS, on the tables that run left.

Usage (against a target that holds the Lacrei source, as bench/run leaves bench_target):
    DATABASE_URL=... python3 bench/full_refresh_breakdown.py path/to/engine [as_of]
Prints per layer and for the slowest steps: the step's seconds in the run, its SELECT's seconds as
CREATE TABLE AS (in a transaction rolled back, with the step's SET LOCAL settings), and the rest
(writing the table, key, statistics, indexes, change logs, data tests, bookkeeping).
"""
import json, os, re, subprocess, sys, time

engine, as_of = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "2026-11-15")
url = os.environ["DATABASE_URL"]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env = dict(os.environ); env.pop("LACREI_SOURCE_URL", None)

def run(*args):
    return subprocess.run([engine, *args, "--as-of", as_of, "-q"], env=env, cwd=root, check=True, text=True, capture_output=True).stdout

start = time.perf_counter()
result = json.loads(run("run", "--full-refresh", "--json"))
whole = time.perf_counter() - start
steps = {s["step"]: s["seconds"] for s in result["steps"]}
rendered = run("render", "--full-refresh")
parts = re.split(r"^-- ==== (\S+) \((\w+)\) ====\n", rendered, flags=re.M)[1:]
# Keyed pseudonyms (SPEC §9.4): the key the engine hands each step's transaction, the same way.
key = f"SELECT lacreisaude_pipeline.lp_use_pseudonym_key('{os.environ['LACREI_PSEUDONYM_KEY']}');\n" if os.environ.get("LACREI_PSEUDONYM_KEY") else ""
rows = []
for name, kind, sql in zip(parts[0::3], parts[1::3], parts[2::3]):
    select = re.search(r"^CREATE TEMP TABLE lp_step_rows ON COMMIT DROP AS\n(.*?)\n;\n", sql, re.S | re.M)
    if kind == "extract" or not select:
        rows.append((name, kind, steps.get(name, 0.0), None)); continue
    settings = "".join(line + "\n" for line in sql.splitlines() if line.startswith("SET LOCAL"))
    script = f"BEGIN;\n{settings}{key}CREATE TEMP TABLE lp_breakdown AS\n{select.group(1)}\n;\nROLLBACK;\n"
    t0 = time.perf_counter()
    subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=script, text=True, check=True, capture_output=True)
    rows.append((name, kind, steps.get(name, 0.0), time.perf_counter() - t0))

layers = {}
for name, kind, step_s, ctas_s in rows:
    layer = layers.setdefault(name.split(".")[0], [0.0, 0.0, 0])
    layer[0] += step_s; layer[1] += ctas_s or 0.0; layer[2] += ctas_s is None
print(f"engine run --full-refresh: {whole:.2f} s whole process, {sum(steps.values()):.2f} s in steps (2 threads)")
print(f"{'layer':<10} {'steps s':>8} {'SELECTs as CTAS s':>18} {'rest s':>7}")
for layer, (step_s, ctas_s, extracts) in layers.items():
    print(f"{layer:<10} {step_s:>8.2f} {ctas_s:>18.2f} {step_s - ctas_s:>7.2f}" + (f"   ({extracts} extract steps: no SELECT to compare)" if extracts else ""))
print(f"\n{'slowest steps':<48} {'step s':>7} {'CTAS s':>7} {'rest s':>7}")
for name, kind, step_s, ctas_s in sorted(rows, key=lambda r: -r[2])[:12]:
    print(f"{name:<48} {step_s:>7.2f} " + (f"{ctas_s:>7.2f} {step_s - ctas_s:>7.2f}" if ctas_s is not None else f"{'-':>7} {'-':>7}"))
