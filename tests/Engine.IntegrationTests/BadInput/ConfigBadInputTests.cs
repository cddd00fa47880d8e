using Lacrei.Engine.Server;

namespace Lacrei.Engine.Tests.BadInput;

/// <summary>
/// The bad-input catalogue (issues 8 and 20), cases that need no database: each case edits a small
/// pipeline (or passes a bad option), runs the real CLI in-process and asserts the user-facing
/// message, its location, the exit code, and that no stack trace is printed.
/// </summary>
[Trait("Category", "BadInput")]
public sealed class ConfigBadInputTests
{
    private const string BaseYaml = """
        name: shop
        vars:
          timezone: UTC
        schemas:
          staging: bi_staging
          mart: bi_mart
        sources:
          shop:
            schema: bi_source
        layers:
          - name: staging
            steps:
              - name: orders
                sql: orders.sql
                materialize: replace
          - name: mart
            steps:
              - name: revenue
                sql: revenue.sql
                materialize: replace
                tests:
                  - not_null: [day]
        """;

    private const string OrdersSql = "SELECT 1 AS order_id, now() AS ordered_at\n";
    private const string RevenueSql =
        "SELECT (o.ordered_at AT TIME ZONE '{{ vars.timezone }}')::date AS day, count(*) AS n FROM {{ ref \"staging.orders\" }} AS o GROUP BY 1\n";

    /// <summary>A case: how to break the pipeline, the command, and what the user must see.</summary>
    /// <param name="Location">"file(line,col)" printed before ": error: ", or null when the error has none.</param>
    private sealed record Case(string[] Args, int Exit, string Message, string? Location = null,
        Func<string, string>? Yaml = null, Action<string>? Files = null, bool Extract = false,
        IDictionary<string, string?>? Env = null, string? Hint = null, string? Secret = null);

    private static string Replace(string text, string from, string to) =>
        text.Contains(from, StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal) : throw new InvalidOperationException($"'{from}' not in the text");

    private static Func<string, string> Swap(string from, string to) => yaml => Replace(yaml, from, to);

    private static readonly string[] Validate = ["validate"];

    // Declared before the cases, which use them.
    private static readonly string[] Serve = ["serve", "--urls", "http://127.0.0.1:0"];

    private static readonly string UserHash = PasswordHash.Create("uma senha longa o bastante", PasswordHash.MinimumIterations);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // ---- YAML syntax
        ["malformed-yaml"] = new(Validate, 2, "invalid YAML: While parsing a flow sequence, did not find expected ',' or ']'.", "pipeline.yaml(11,9)",
            Swap("layers:\n", "layers: [unclosed\n")),
        ["tab-indentation"] = new(Validate, 2, "invalid YAML: While scanning a mapping, found invalid tab as indentation.", "pipeline.yaml(18,1)",
            Swap("      - name: revenue", "\t- name: revenue"), Hint: "hint: YAML does not allow tabs for indentation; use spaces"),
        ["duplicate-yaml-key"] = new(Validate, 2, "invalid YAML: Duplicate key sql", "pipeline.yaml(20,9)",
            Swap("        sql: revenue.sql\n", "        sql: revenue.sql\n        sql: other.sql\n"), Hint: "hint: each key may appear once in a mapping"),
        // A "billion laughs": nine levels of nine aliases stand for 9^9 values; reading them never ended.
        ["yaml-alias-bomb"] = new(Validate, 2, "pipeline.yaml: its aliases stand for more than 1,000,000 values here", "pipeline.yaml(10,6)",
            Swap("  timezone: UTC\n", "  timezone: UTC\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n"),
            Hint: "hint: write the values out, or use fewer levels of aliases (*name) within aliases"),
        // Tens of thousands of levels overflowed the stack while reading vars: the process ended without a message.
        ["yaml-nested-too-deep"] = new(Validate, 2, "pipeline.yaml: lists and mappings nest more than 100 levels deep here", "pipeline.yaml(4,108)",
            Swap("  timezone: UTC\n", "  timezone: UTC\n  deep: " + new string('[', 20000) + "x" + new string(']', 20000) + "\n"),
            Hint: "hint: nest fewer levels"),
        // Aliases add up their levels: four anchors of 30 levels, each within the next, nest 120 deep, even when
        // the innermost is also met near the top (read first, it was counted at that depth only).
        ["yaml-nested-too-deep-through-aliases"] = new(Validate, 2, "pipeline.yaml: lists and mappings nest more than 100 levels deep here", "pipeline.yaml(4,20)",
            Swap("  timezone: UTC\n", "  timezone: UTC\n  a1: &a1 " + new string('[', 30) + "x" + new string(']', 30) + "\n" +
                string.Concat(Enumerable.Range(2, 3).Select(i => $"  a{i}: &a{i} " + new string('[', 30) + $"*a{i - 1}" + new string(']', 30) + "\n")) +
                "  shallow: *a1\n"),
            Hint: "hint: nest fewer levels"),
        ["empty-pipeline-yaml"] = new(Validate, 2, "pipeline.yaml is empty", "pipeline.yaml(1,1)", _ => "",
            Hint: "hint: start with 'name:' and 'layers:'"),

        // ---- unknown keys
        ["unknown-top-level-key"] = new(Validate, 2, "unknown key 'varz' in pipeline.yaml", "pipeline.yaml(2,1)",
            Swap("vars:", "varz:"), Hint: "hint: did you mean 'vars'?"),
        ["unknown-layer-key"] = new(Validate, 2, "unknown key 'step' in a layer", "pipeline.yaml(17,5)",
            Swap("  - name: mart\n", "  - name: mart\n    step: 1\n"), Hint: "hint: did you mean 'steps'?"),
        ["unknown-step-key"] = new(Validate, 2, "unknown key 'materialise' in a step of layer 'mart'", "pipeline.yaml(20,9)",
            Swap("        sql: revenue.sql\n", "        sql: revenue.sql\n        materialise: replace\n"), Hint: "hint: did you mean 'materialize'?"),
        ["unknown-test-key"] = new(Validate, 2, "unknown key 'severty' in a test of step 'mart.revenue'", "pipeline.yaml(23,13)",
            Swap("          - not_null: [day]", "          - not_null: [day]\n            severty: warn")),
        ["unknown-data-test-kind"] = new(Validate, 2, "unknown key 'not_nul' in a test of step 'mart.revenue'", "pipeline.yaml(22,13)",
            Swap("not_null: [day]", "not_nul: [day]"), Hint: "hint: did you mean 'not_null'?"),

        // ---- wrong types and values
        // A var may be a list or a mapping (docs/authoring.md); an item without a value is still an error at its place.
        ["var-item-without-value"] = new(Validate, 2, "'vars.timezone[1]' must be a text value, a list or a mapping, found nothing", "pipeline.yaml(3,19)",
            Swap("timezone: UTC", "timezone: [UTC, ~]")),
        ["layers-is-a-scalar"] = new(Validate, 2, "'layers' must be a list, found '3'", "pipeline.yaml(10,9)",
            yaml => Replace(yaml, "layers:\n", "layers: 3\nold_layers:\n")),
        ["delete-missing-not-a-boolean"] = new(Validate, 2, "'delete_missing' in step 'mart.revenue' must be true or false, found 'maybe'", "pipeline.yaml(20,25)",
            Swap("        sql: revenue.sql\n", "        sql: revenue.sql\n        delete_missing: maybe\n")),
        ["unknown-materialization"] = new(Validate, 2, "step 'mart.revenue': unknown materialization 'replce'", "pipeline.yaml(20,22)",
            Swap("        sql: revenue.sql\n        materialize: replace", "        sql: revenue.sql\n        materialize: replce"), Hint: "hint: did you mean 'replace'?"),
        ["upsert-without-key"] = new(Validate, 2, "step 'mart.revenue' is an upsert and needs 'key'", "pipeline.yaml(20,22)",
            Swap("        sql: revenue.sql\n        materialize: replace", "        sql: revenue.sql\n        materialize: upsert")),
        ["duplicate-step-name"] = new(Validate, 2, "duplicate step name 'mart.revenue'", "pipeline.yaml(21,9)",
            Swap("        tests:\n          - not_null: [day]", "      - name: revenue\n        sql: revenue.sql")),

        // ---- files
        ["missing-sql-file"] = new(Validate, 2, "step 'mart.revenue': SQL file not found: revenu.sql", "pipeline.yaml(19,14)",
            Swap("sql: revenue.sql", "sql: revenu.sql"), Hint: "hint: did you mean 'revenue.sql'?"),
        ["empty-sql-file"] = new(Validate, 2, "step 'mart.revenue': SQL file is empty", "revenue.sql(1,1)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "")),
        // A Latin-1 byte read leniently became U+FFFD, inside a literal a different published value.
        ["sql-file-not-utf8"] = new(Validate, 2, "the file is not UTF-8: line 1 has byte 0xE3 at byte 10 of the line (byte 10 of the file)", "revenue.sql(1,10)",
            Files: dir => File.WriteAllBytes(Path.Combine(dir, "revenue.sql"),
                [.. "SELECT 'N"u8, 0xE3, .. "o' AS day, count(*) AS n FROM {{ ref \"staging.orders\" }} AS o GROUP BY 1\n"u8]),
            Hint: "hint: save it as UTF-8, e.g. iconv -f latin1 -t utf-8 {dir}/revenue.sql > fixed.sql"),
        ["pipeline-yaml-not-utf8"] = new(Validate, 2, "the file is not UTF-8: line 3 has byte 0xE3 at byte 20 of the line (byte 37 of the file)", "pipeline.yaml(3,20)",
            Files: dir => File.WriteAllBytes(Path.Combine(dir, "pipeline.yaml"),
                [.. "name: shop\nvars:\n  timezone: UTC # S"u8, 0xE3, .. File.ReadAllBytes(Path.Combine(dir, "pipeline.yaml")).AsSpan(32).ToArray()])),
        ["macro-file-not-utf8"] = new(Validate, 2, "the file is not UTF-8: line 1 has byte 0xE7 at byte 10 of the line (byte 10 of the file)", "macros/money.sql(1,10)",
            Files: dir =>
            {
                Directory.CreateDirectory(Path.Combine(dir, "macros"));
                File.WriteAllBytes(Path.Combine(dir, "macros", "money.sql"), [.. "-- os pre"u8, 0xE7, .. "os\n{{ func cents(c) }}{{ c }} / 100{{ end }}\n"u8]);
            }),
        ["pipeline-file-not-found"] = new(["validate", "--project", "/nonexistent/lacrei/pipeline.yaml"], 2,
            "pipeline file not found: /nonexistent/lacrei/pipeline.yaml", Hint: "hint: pass --project path/to/pipeline.yaml"),

        // ---- references and the DAG
        ["unknown-ref"] = new(Validate, 2, "unknown step 'staging.order' in ref", "revenue.sql(1,94)",
            Files: dir => Edit(dir, "revenue.sql", "staging.orders", "staging.order"), Hint: "hint: did you mean 'staging.orders'?"),
        ["ref-to-a-later-layer"] = new(Validate, 2, "step 'staging.orders' reads from 'mart.revenue' of a later layer", "orders.sql(1,18)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "orders.sql"), "SELECT * FROM {{ ref \"mart.revenue\" }}\n")),
        ["depends-on-a-later-layer"] = new(Validate, 2, "step 'staging.orders' depends on 'mart.revenue' of a later layer", "pipeline.yaml(15,22)",
            Swap("        sql: orders.sql\n", "        sql: orders.sql\n        depends_on: [mart.revenue]\n")),
        ["dependency-cycle"] = new(Validate, 2, "dependency cycle: mart.revenue2 → mart.revenue → mart.revenue2", "revenue2.sql(1,18)",
            Swap("      - name: revenue\n", "      - name: revenue2\n        sql: revenue2.sql\n        materialize: replace\n      - name: revenue\n"),
            Files: dir =>
            {
                File.WriteAllText(Path.Combine(dir, "revenue2.sql"), "SELECT * FROM {{ ref \"mart.revenue\" }}\n");
                File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT * FROM {{ ref \"mart.revenue2\" }}\n");
            }),

        // ---- templates
        ["template-syntax-error"] = new(Validate, 2, "template syntax: Error while parsing if statement: Expecting <expression> instead of `}}`", "revenue.sql(1,14)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT {{ if }} 1\n")),
        // Engine bug: an unclosed '{{' at the end of a file is accepted and renders 'SELECT UTC'.
        ["template-unclosed-expression"] = new(Validate, 2, "template syntax", "revenue.sql(1,8)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT {{ vars.timezone \n")),
        ["undefined-variable"] = new(Validate, 2, "unknown variable 'timezone'", "revenue.sql(1,12)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT '{{ timezone }}' AS tz\n"),
            Hint: "hint: templates know: schemas, vars, run, ref, source, this"),
        ["undefined-var-typo"] = new(Validate, 2, "unknown variable 'vars.timzone'", "revenue.sql(1,17)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT '{{ vars.timzone }}' AS tz\n"), Hint: "hint: did you mean 'timezone'?"),
        ["schemas-typo"] = new(Validate, 2, "unknown variable 'schemas.marts'", "revenue.sql(1,26)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "SELECT * FROM {{ schemas.marts }}.x\n"), Hint: "hint: did you mean 'mart'?"),

        // ---- --var
        ["var-without-equals"] = new(["validate", "--var", "timezone"], 2, "--var 'timezone' is not key=value",
            Hint: "hint: for example --var timezone=UTC"),
        ["var-unknown"] = new(["validate", "--var", "timezon=UTC"], 2, "--var timezon: no such var in pipeline.yaml", Hint: "hint: did you mean 'timezone'?"),
        ["var-unknown-schema"] = new(["validate", "--var", "schemas.nope=x"], 2, "--var schemas.nope: no schema 'nope'",
            Hint: "hint: known schemas: mart, meta, staging"),
        ["var-unknown-source"] = new(["validate", "--var", "sources.nope.schema=x"], 2, "--var sources.nope.schema: no source 'nope'",
            Hint: "hint: known sources: shop"),
        ["var-value-with-quote"] = new(["validate", "--var", "timezone=UTC'; DROP TABLE x; --"], 2,
            "--var timezone: the value may not contain quotes, ';', '\\' or comment markers", Hint: "hint: vars are pasted into SQL"),
        ["var-value-with-semicolon"] = new(["validate", "--var", "timezone=UTC;x"], 2,
            "--var timezone: the value may not contain quotes, ';', '\\' or comment markers"),

        // ---- identifier injection
        ["schema-injection-through-var"] = new(["validate", "--var", "schemas.mart=x\"; DROP TABLE t; --"], 2,
            "--var schemas.mart: 'x\"; DROP TABLE t; --' is not a valid SQL name", Hint: "hint: a SQL name is 1-63 letters, digits, '_' or '-'"),
        ["schema-with-space-through-var"] = new(["validate", "--var", "schemas.mart=a b"], 2, "--var schemas.mart: 'a b' is not a valid SQL name"),
        ["source-schema-injection-through-var"] = new(["validate", "--var", "sources.shop.schema=x\"y"], 2,
            "--var sources.shop.schema: 'x\"y' is not a valid SQL name"),
        ["key-column-injection-in-yaml"] = new(Validate, 2, "step 'mart.revenue': key column 'day\"; DROP TABLE x; --' is not a valid SQL name", "pipeline.yaml(20,14)",
            Swap("        sql: revenue.sql\n", "        sql: revenue.sql\n        key: [\"day\\\"; DROP TABLE x; --\"]\n")),
        ["extract-table-injection-in-yaml"] = new(Validate, 2, "'extract' of step 'staging.users': table 'users\"; DROP TABLE x; --' is not a valid SQL name", "pipeline.yaml(19,18)",
            Swap("          table: users", "          table: \"users\\\"; DROP TABLE x; --\""), Extract: true),
        ["extract-column-injection-in-yaml"] = new(Validate, 2, "'extract' of step 'staging.users': column 'city\" text' is not a valid SQL name", "pipeline.yaml(22,49)",
            Swap("updated_at, city, deleted_at]", "updated_at, \"city\\\" text\", deleted_at]"), Extract: true),
        // Engine bug: an invalid extract key crashes the loader (NullReferenceException in PipelineLoader.ReadStep).
        ["extract-key-injection-in-yaml"] = new(Validate, 2, "'extract' of step 'staging.users': key 'id; DROP' is not a valid SQL name", "pipeline.yaml(20,16)",
            yaml => Replace(yaml, "          key: id\n          cursor: updated_at\n          columns: [id, created_at", "          key: \"id; DROP\"\n          cursor: updated_at\n          columns: [id, created_at"), Extract: true),

        // ---- --as-of, selections, targets, options
        ["as-of-not-a-date"] = new(["validate", "--as-of", "2025-13-01"], 2, "--as-of '2025-13-01' is not a date", Hint: "hint: write it as yyyy-MM-dd"),
        ["as-of-a-word"] = new(["validate", "--as-of", "yesterday"], 2, "--as-of 'yesterday' is not a date"),
        ["only-unknown-step"] = new(["plan", "--only", "mart.revnue"], 2, "--only mart.revnue: no step 'mart.revnue'", Hint: "hint: did you mean 'mart.revenue'?"),
        ["only-unknown-tag"] = new(["plan", "--only", "tag:nope"], 2, "--only tag:nope: no step has tag 'nope'"),
        ["exclude-unknown"] = new(["plan", "--exclude", "nope"], 2, "--exclude nope: no layer or step 'nope'"),
        ["from-unknown"] = new(["plan", "--from", "staging.ordrs"], 2, "--from staging.ordrs: no step 'staging.ordrs'", Hint: "hint: did you mean 'staging.orders'?"),
        ["unknown-target"] = new(["validate", "--target", "prod"], 2, "unknown target 'prod'"),
        ["threads-not-a-number"] = new(["run", "--threads", "abc"], 2, "Cannot parse argument 'abc' for option '--threads'"),
        ["threads-zero"] = new(["run", "--threads", "0"], 2, "--threads must be at least 1"),
        ["unknown-log-format"] = new(["validate", "--log-format", "xml"], 2, "Argument 'xml' not recognized. Must be one of:"),
        ["unknown-option"] = new(["validate", "--bogus"], 2, "Unrecognized command or argument '--bogus'.", Hint: "hint: run 'engine --help'"),

        // ---- connections (no server needed)
        ["invalid-database-url"] = new(["run"], 2, "the connection is neither a postgres:// URL nor a connection string",
            Env: new Dictionary<string, string?> { ["DATABASE_URL"] = "not a url" }),
        ["bad-sslmode"] = new(["run"], 2, "the connection's sslmode 'bogus' is not valid",
            Env: new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://u@127.0.0.1:1/db?sslmode=bogus" }, Hint: "hint: use disable, allow, prefer, require, verify-ca or verify-full"),
        ["unreachable-server"] = new(["run"], 2, "cannot connect to u@127.0.0.1:1/db: Connection refused",
            Env: new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://u:Pw-NotEchoed-91@127.0.0.1:1/db" }, Secret: "Pw-NotEchoed-91"),
        // `run` starts connecting while it loads the project: a broken project is still what is reported.
        ["config-error-with-unreachable-server"] = new(["run"], 2, "step 'mart.revenue': unknown materialization 'replce'", "pipeline.yaml(20,22)",
            Swap("        sql: revenue.sql\n        materialize: replace", "        sql: revenue.sql\n        materialize: replce"),
            Env: new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://u@127.0.0.1:1/db" }),

        // ---- output paths (issue 20): "{dir}" is the case's project folder
        ["docs-out-is-a-file"] = new(["docs", "--offline", "--out", "/etc/passwd"], 2,
            "docs --out /etc/passwd: that is a file; --out names the folder the site is written to", Hint: "hint: pick a new or empty folder, e.g. --out site"),
        ["docs-out-not-empty"] = new(["docs", "--offline", "--out", "{dir}/notes"], 2,
            "docs --out {dir}/notes: the folder is not empty and was not written by engine docs",
            Files: dir => { Directory.CreateDirectory(Path.Combine(dir, "notes")); File.WriteAllText(Path.Combine(dir, "notes", "todo.txt"), "keep me\n"); },
            Hint: "hint: pick a new or empty folder, or pass --force to write the site into this one"),
        ["docs-out-under-a-file"] = new(["docs", "--offline", "--out", "{dir}/orders.sql/site"], 2,
            "docs --out {dir}/orders.sql/site: {dir}/orders.sql is a file, so the folder cannot be created there",
            Hint: "hint: pick a new or empty folder, e.g. --out site"),
        ["docs-out-not-writable"] = new(["docs", "--offline", "--out", "/proc/lacrei-site"], 2,
            "docs --out /proc/lacrei-site: cannot create the folder: ", Hint: "hint: --out must be a folder you can write to"),
        ["runs-report-out-is-a-folder"] = new(["runs", "--report", "last", "--out", "{dir}"], 2,
            "runs --out {dir}: that is a folder; --out names the report's HTML file", Hint: "hint: for example --out {dir}/report.html"),
        ["runs-report-out-under-a-file"] = new(["runs", "--report", "last", "--out", "{dir}/orders.sql/report.html"], 2,
            "runs --out {dir}/orders.sql/report.html: {dir}/orders.sql is a file, so the folder cannot be created there",
            Hint: "hint: --out must be a file in a folder you can write to"),
        ["runs-out-without-report"] = new(["runs", "--out", "report.html"], 2, "runs --out needs --report RUN_ID",
            Hint: "hint: for example engine runs --report last --out report.html"),

        // ---- templates that render nothing (issue 20): refused at the template, not by the server
        ["template-renders-empty"] = new(Validate, 2, "step 'mart.revenue': the SQL renders empty", "revenue.sql(1,1)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "{{ if vars.timezone == 'Europe/Lisbon' }}\nSELECT 1 AS day\n{{ end }}\n"),
            Hint: "hint: every branch of its {{ if }} must leave the SELECT whose rows fill the table"),
        ["template-renders-only-comments"] = new(Validate, 2, "step 'mart.revenue': the SQL renders only comments", "revenue.sql(1,1)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "-- revenue per day: to be written\n/* SELECT day FROM x */\n")),
        ["template-renders-empty-at-run"] = new(["run"], 2, "step 'mart.revenue': the SQL renders empty", "revenue.sql(1,1)",
            Files: dir => File.WriteAllText(Path.Combine(dir, "revenue.sql"), "{{ if false }}SELECT 1 AS day{{ end }}\n")),

        // ---- engine serve's configuration (issue 20)
        ["serve-duplicate-token-name"] = new(Serve, 2, "LACREI_API_TOKENS: the name 'airflow' is given twice (entries 1 and 2)",
            Env: ServeEnv((ServiceConfig.TokensVariable, $"airflow:{new string('a', 64)},airflow:{new string('b', 64)}")),
            Hint: "hint: give each token its own name; the log names a request's token by it"),
        ["serve-duplicate-user-name"] = new(Serve, 2, "LACREI_PORTAL_USERS: the name 'Maria' is given twice (entries 1 and 2)",
            Env: ServeEnv((ServiceConfig.UsersVariable, $"maria:{UserHash},Maria:{UserHash}")), Hint: "hint: user names ignore case: give each user one entry"),
        ["serve-trust-proxy-without-proxies"] = new(Serve, 2,
            "LACREI_TRUST_PROXY is true but LACREI_KNOWN_PROXIES names no proxy, so no X-Forwarded-For could be believed",
            Env: ServeEnv((ServiceConfig.TrustProxyVariable, "true")), Hint: "hint: set LACREI_KNOWN_PROXIES to the proxy's address, e.g. 127.0.0.1 (see docs/service.md)"),
        ["serve-known-proxy-not-an-address"] = new(Serve, 2, "LACREI_KNOWN_PROXIES: 'proxy.internal' is not an IP address or network",
            Env: ServeEnv((ServiceConfig.TrustProxyVariable, "true"), ("LACREI_KNOWN_PROXIES", "127.0.0.1,proxy.internal")),
            Hint: "hint: addresses and networks, comma-separated: 127.0.0.1,10.0.0.0/24"),
        ["serve-known-proxies-without-trust"] = new(Serve, 2, "LACREI_KNOWN_PROXIES is set but LACREI_TRUST_PROXY is not true",
            Env: ServeEnv(("LACREI_KNOWN_PROXIES", "127.0.0.1")), Hint: "hint: set LACREI_TRUST_PROXY=true to believe X-Forwarded-For from those proxies"),
    };

    /// <summary>A service configuration that would start, changed by <paramref name="set"/>.</summary>
    private static Dictionary<string, string?> ServeEnv(params (string Name, string? Value)[] set)
    {
        var env = new Dictionary<string, string?>
        {
            [ServiceConfig.TokensVariable] = $"scheduler:{new string('c', 64)}",
            [ServiceConfig.UsersVariable] = null,
            [ServiceConfig.TrustProxyVariable] = null,
            ["LACREI_KNOWN_PROXIES"] = null,
        };
        foreach (var (name, value) in set) env[name] = value;
        return env;
    }

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    private static void Edit(string dir, string file, string from, string to)
    {
        var path = Path.Combine(dir, file);
        File.WriteAllText(path, Replace(File.ReadAllText(path), from, to));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task Bad_input_gets_a_clear_message_with_its_location_and_exit_code(string name)
    {
        var c = Cases[name];
        var dir = Path.Combine(Path.GetTempPath(), "lacrei-badinput-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            if (c.Extract)
            {
                foreach (var file in Directory.EnumerateFiles(Repo.Path("tests", "fixtures", "extract"), "*.sql", SearchOption.AllDirectories))
                {
                    var relative = Path.GetRelativePath(Repo.Path("tests", "fixtures", "extract"), file);
                    if (relative.StartsWith("target", StringComparison.Ordinal)) continue;
                    Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, relative))!);
                    File.Copy(file, Path.Combine(dir, relative));
                }
                var yaml = File.ReadAllText(Repo.Path("tests", "fixtures", "extract", "pipeline.yaml"));
                File.WriteAllText(Path.Combine(dir, "pipeline.yaml"), (c.Yaml ?? (y => y))(yaml));
            }
            else
            {
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, "pipeline.yaml"), (c.Yaml ?? (y => y))(BaseYaml.ReplaceLineEndings("\n") + "\n"));
                File.WriteAllText(Path.Combine(dir, "orders.sql"), OrdersSql);
                File.WriteAllText(Path.Combine(dir, "revenue.sql"), RevenueSql);
            }
            c.Files?.Invoke(dir);

            string[] args = [.. c.Args.Select(a => a.Replace("{dir}", dir, StringComparison.Ordinal))];
            if (!args.Contains("--project")) args = [.. args, "--project", Path.Combine(dir, "pipeline.yaml")];
            // A case the engine wrongly accepts must fail, not hang (a serve that starts, say): it is stopped like Ctrl-C.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var outcome = await EngineCli.RunAsync(args, c.Env, timeout.Token);

            Assert.True(c.Exit == outcome.ExitCode, $"expected exit {c.Exit}\n{outcome}");
            var message = c.Message.Replace("{dir}", dir, StringComparison.Ordinal);
            var expected = c.Location is null ? "error: " + message : $"{c.Location}: error: {message}";
            Assert.True(outcome.Error.Contains(expected, StringComparison.Ordinal), $"expected in stderr: {expected}\n{outcome}");
            if (c.Location is not null)
                Assert.True(outcome.Error.Contains(Path.Combine(dir, c.Location), StringComparison.Ordinal)
                    || outcome.Error.Contains(Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(dir, c.Location)), StringComparison.Ordinal),
                    $"the location names the file of this pipeline\n{outcome}");
            if (c.Hint is not null) Assert.Contains(c.Hint.Replace("{dir}", dir, StringComparison.Ordinal), outcome.Error);
            if (c.Secret is not null) Assert.DoesNotContain(c.Secret, outcome.Out + outcome.Error);
            Assert.DoesNotContain("   at ", outcome.Error);
            Assert.DoesNotContain("internal error", outcome.Error);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (DirectoryNotFoundException) { }
        }
    }
}
