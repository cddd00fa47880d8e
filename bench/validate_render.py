"""Generates an N-step pipeline (4 layers, each step reading two steps of the layer before) and
times whole engine processes: validate, render, and validate followed by render."""
import os, statistics, subprocess, sys, tempfile, time

engine, steps = sys.argv[1], int(sys.argv[2])
layers = ["raw", "staging", "model", "mart"]
per_layer = steps // len(layers)
root = tempfile.mkdtemp(prefix="lacrei-bench-")
yaml = ["name: generated", "schemas:"] + [f"  {l}: bench_{l}" for l in layers] + ["sources:", "  app: { schema: app-source }", "layers:"]
for li, layer in enumerate(layers):
    os.makedirs(os.path.join(root, layer))
    yaml += [f"  - name: {layer}", "    steps:"]
    for i in range(per_layer):
        name = f"s{i:03d}"
        if li == 0:
            sql = f'SELECT id, value FROM {{{{ source "app" "t{i:03d}" }}}}\n'
        else:
            prev = layers[li - 1]
            a, b = f"s{i:03d}", f"s{(i + 1) % per_layer:03d}"
            sql = (f'-- {layer}.{name}\nSELECT x.id, x.value + y.value AS value\n'
                   f'FROM {{{{ ref "{prev}.{a}" }}}} AS x\nJOIN {{{{ ref "{prev}.{b}" }}}} AS y ON y.id = x.id\n')
        with open(os.path.join(root, layer, name + ".sql"), "w") as f:
            f.write(sql)
        yaml += [f"      - name: {name}", f"        sql: {layer}/{name}.sql", "        materialize: upsert", "        key: [id]",
                 f"        description: Generated step {i} of {layer}."]
with open(os.path.join(root, "pipeline.yaml"), "w") as f:
    f.write("\n".join(yaml) + "\n")

def timed(args, runs=10):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([engine, *args, "--project", os.path.join(root, "pipeline.yaml")], check=True,
                       stdout=subprocess.DEVNULL, cwd=root)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)

subprocess.run([engine, "validate", "--project", os.path.join(root, "pipeline.yaml")], check=True, cwd=root)  # warm the disk cache
validate = timed(["validate"])
render = timed(["render"])
print(f"{'pipeline':<28}{'validate (ms)':>15}{'render (ms)':>13}{'both (ms)':>11}{'target':>9}")
print(f"{str(per_layer * len(layers)) + ' steps, 4 layers':<28}{validate * 1000:>15.0f}{render * 1000:>13.0f}{(validate + render) * 1000:>11.0f}{'300':>9}")
print("median of 10 whole-process runs each (ReadyToRun publish); 'both' = validate then render")
