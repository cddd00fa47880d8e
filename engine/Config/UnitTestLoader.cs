using System.Collections.Immutable;
using Lacrei.Engine.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lacrei.Engine.Config;

/// <summary>
/// Reads <c>unit_tests/*.yaml</c> beside pipeline.yaml. Every problem (unknown key, unknown
/// step or input, a row that is not a mapping, a bad type name) is collected with its file,
/// line and column and reported together, like pipeline.yaml's.
/// </summary>
public static class UnitTestLoader
{
    public const string Folder = "unit_tests";

    private static readonly string[] FileKeys = ["unit_tests"];
    private static readonly string[] TestKeys = ["name", "step", "description", "as_of", "given", "expect"];
    private static readonly string[] InputKeys = ["ref", "source", "columns", "rows"];
    private static readonly string[] ExpectKeys = ["rows"];

    /// <summary>The unit tests of the pipeline, in file then declaration order; none when the folder is absent.</summary>
    public static ImmutableArray<UnitTestCase> Load(PipelineConfig config, IReadOnlySet<string> seeds)
    {
        var dir = Path.Combine(config.RootDir, Folder);
        if (!Directory.Exists(dir)) return [];
        var diagnostics = new DiagnosticBag();
        var tests = ImmutableArray.CreateBuilder<UnitTestCase>();
        var files = Directory.EnumerateFiles(dir, "*.yaml").Concat(Directory.EnumerateFiles(dir, "*.yml")).Order(StringComparer.Ordinal);
        foreach (var file in files)
            tests.AddRange(Parse(TextFiles.Read(file), DisplayPath.Of(file), config, seeds, diagnostics));
        foreach (var duplicate in tests.GroupBy(t => (t.Step, t.Name)).Where(g => g.Count() > 1))
            diagnostics.Add(duplicate.Last().Span, $"step '{duplicate.Key.Step}' has two unit tests named '{duplicate.Key.Name}'",
                $"the other is at {duplicate.First().Span}; rename one");
        diagnostics.ThrowIfAny();
        return tests.ToImmutable();
    }

    internal static ImmutableArray<UnitTestCase> Parse(string yaml, string display, PipelineConfig config, IReadOnlySet<string> seeds, DiagnosticBag diagnostics)
    {
        var reader = new YamlNodeReader(display, diagnostics);
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            if (root is not null) YamlLimits.Check(root, display, "the unit test file");
        }
        catch (YamlException e)
        {
            diagnostics.Add(new SourceSpan(display, (int)e.Start.Line, (int)e.Start.Column), $"unit test file is not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return [];
        }
        if (root is null) return [];
        if (reader.Mapping(root, "a unit test file", FileKeys) is not { } top) return [];
        var list = YamlNodeReader.Get(top, "unit_tests");
        if (list is not YamlSequenceNode sequence)
        {
            reader.Error(list ?? top, "a unit test file holds 'unit_tests:' as a list", "unit_tests:\n  - name: ...\n    step: layer.step\n    given: [...]\n    expect: { rows: [...] }");
            return [];
        }
        var steps = config.Steps.ToDictionary(s => s.Id.ToString(), s => s);
        var tests = ImmutableArray.CreateBuilder<UnitTestCase>();
        foreach (var node in sequence.Children)
            if (ReadTest(node, reader, config, steps, seeds) is { } test) tests.Add(test);
        return tests.ToImmutable();
    }

    private static UnitTestCase? ReadTest(YamlNode node, YamlNodeReader reader, PipelineConfig config, Dictionary<string, StepConfig> steps, IReadOnlySet<string> seeds)
    {
        if (reader.Mapping(node, "a unit test", TestKeys) is not { } map) return null;
        var name = reader.String(map, "name", "a unit test", required: true) ?? "";
        var what = $"unit test '{name}'";
        var stepText = reader.String(map, "step", what, required: true);
        StepId step = default;
        if (stepText is not null)
        {
            var stepNode = YamlNodeReader.Get(map, "step")!;
            if (!steps.TryGetValue(stepText, out var target))
                reader.Error(stepNode, $"{what}: unknown step '{stepText}'", Suggest.Hint(stepText, steps.Keys.Order(StringComparer.Ordinal).ToList(), "steps"));
            else if (target.Materialize is Materialization.Script or Materialization.Extract)
                reader.Error(stepNode, $"{what}: step '{stepText}' is {target.Materialize.ToString().ToLowerInvariant()}; unit tests check the rows of a SELECT",
                    "test an upsert, replace or incremental step");
            else step = target.Id;
        }
        DateOnly? asOf = null;
        if (reader.String(map, "as_of", what) is { } asOfText)
        {
            if (DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)) asOf = date;
            else reader.Error(YamlNodeReader.Get(map, "as_of")!, $"{what}: as_of '{asOfText}' is not a date", "write it as yyyy-MM-dd (the run.as_of the step sees)");
        }
        var given = ReadGiven(map, reader, what, config, steps, seeds);
        var expect = ReadExpect(map, reader, what);
        return new UnitTestCase(name, step, reader.String(map, "description", what), asOf, given, expect, reader.SpanOf(map));
    }

    private static ImmutableArray<UnitTestInput> ReadGiven(YamlMappingNode map, YamlNodeReader reader, string what,
        PipelineConfig config, Dictionary<string, StepConfig> steps, IReadOnlySet<string> seeds)
    {
        var node = YamlNodeReader.Get(map, "given");
        if (node is null || YamlNodeReader.IsNull(node)) return [];
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(node, $"'given' of {what} must be a list of inputs", "- ref: staging1.address_state\n  rows: [{ id: 1, code: SP }]");
            return [];
        }
        var inputs = ImmutableArray.CreateBuilder<UnitTestInput>();
        foreach (var item in sequence.Children)
        {
            if (reader.Mapping(item, $"an input of {what}", InputKeys) is not { } input) continue;
            var refName = reader.String(input, "ref", what);
            var sourceName = reader.String(input, "source", what);
            if ((refName is null) == (sourceName is null))
            {
                reader.Error(input, $"an input of {what} names one 'ref: layer.step' or one 'source: source.table'");
                continue;
            }
            var kind = refName is not null ? UnitTestInputKind.Ref : UnitTestInputKind.Source;
            var nameNode = YamlNodeReader.Get(input, kind == UnitTestInputKind.Ref ? "ref" : "source")!;
            var inputName = (refName ?? sourceName)!;
            CheckInputName(kind, inputName, nameNode, reader, what, config, steps, seeds);
            if (inputs.Any(i => i.Kind == kind && i.Name == inputName))
                reader.Error(nameNode, $"{what} gives '{inputName}' twice", "put all its rows under one input");
            var types = reader.StringMap(input, "columns", what);
            foreach (var (column, type) in types)
            {
                if (!Identifier.IsValid(column))
                    reader.Error(YamlNodeReader.Get(input, "columns")!, $"{what}: column '{column}' is not a valid SQL name", Identifier.Rule);
                if (!SqlTypeName.IsValid(type))
                    reader.Error(YamlNodeReader.Get(input, "columns")!, $"{what}: '{type}' (column '{column}') is not a type name", SqlTypeName.Rule);
            }
            var rows = ReadRows(input, reader, $"rows of '{inputName}' in {what}", sameColumns: false);
            if (YamlNodeReader.Get(input, "rows") is null)
                reader.Error(input, $"input '{inputName}' of {what} needs 'rows'", "write rows: [] for an empty table");
            inputs.Add(new UnitTestInput(kind, inputName, types, rows, reader.SpanOf(nameNode)));
        }
        return inputs.ToImmutable();
    }

    private static void CheckInputName(UnitTestInputKind kind, string name, YamlNode node, YamlNodeReader reader, string what,
        PipelineConfig config, Dictionary<string, StepConfig> steps, IReadOnlySet<string> seeds)
    {
        if (kind == UnitTestInputKind.Ref)
        {
            var isSeed = name.StartsWith(StepId.SeedsLayer + ".", StringComparison.Ordinal) && seeds.Contains(name[(StepId.SeedsLayer.Length + 1)..]);
            if (!isSeed && !steps.ContainsKey(name))
                reader.Error(node, $"{what}: unknown step '{name}' in ref",
                    Suggest.Hint(name, steps.Keys.Concat(seeds.Select(s => $"{StepId.SeedsLayer}.{s}")).Order(StringComparer.Ordinal).ToList(), "steps and seeds"));
            return;
        }
        var dot = name.IndexOf('.');
        var source = dot > 0 ? name[..dot] : name;
        if (dot <= 0 || !Identifier.IsValid(name[(dot + 1)..]))
            reader.Error(node, $"{what}: source '{name}' is not source.table", "e.g. source: app.lacreiid_user");
        else if (!config.Sources.ContainsKey(source))
            reader.Error(node, $"{what}: unknown source '{source}'", Suggest.Hint(source, config.Sources.Keys.Order(StringComparer.Ordinal).ToList(), "sources"));
    }

    private static UnitTestRows ReadExpect(YamlMappingNode map, YamlNodeReader reader, string what)
    {
        var node = YamlNodeReader.Get(map, "expect");
        if (node is null)
        {
            reader.Error(map, $"{what} needs 'expect: {{ rows: [...] }}'");
            return new UnitTestRows([], []);
        }
        if (reader.Mapping(node, $"'expect' of {what}", ExpectKeys) is not { } expect) return new UnitTestRows([], []);
        if (YamlNodeReader.Get(expect, "rows") is null) reader.Error(expect, $"'expect' of {what} needs 'rows'", "write rows: [] when the step must return no row");
        return ReadRows(expect, reader, $"expected rows of {what}", sameColumns: true);
    }

    /// <summary>
    /// Rows as mappings of column to a scalar. Expected rows list the same columns (those are
    /// compared); mock rows may leave columns out (NULL).
    /// </summary>
    private static UnitTestRows ReadRows(YamlMappingNode map, YamlNodeReader reader, string what, bool sameColumns)
    {
        var node = YamlNodeReader.Get(map, "rows");
        if (node is null || YamlNodeReader.IsNull(node)) return new UnitTestRows([], []);
        if (node is not YamlSequenceNode sequence)
        {
            reader.Error(node, $"{what} must be a list of rows", "rows:\n  - { id: 1, name: x }");
            return new UnitTestRows([], []);
        }
        var columns = new List<UnitTestColumn>();
        var rows = ImmutableArray.CreateBuilder<UnitTestRow>();
        foreach (var item in sequence.Children)
        {
            if (item is not YamlMappingNode row)
            {
                reader.Error(item, $"{what}: a row is a mapping of column to value, found {YamlNodeReader.Describe(item)}", "- { id: 1, name: x }");
                continue;
            }
            var cells = ImmutableDictionary.CreateBuilder<string, string?>();
            foreach (var (keyNode, valueNode) in row.Children)
            {
                var column = (keyNode as YamlScalarNode)?.Value ?? "";
                if (!Identifier.IsValid(column)) { reader.Error(keyNode, $"{what}: column '{column}' is not a valid SQL name", Identifier.Rule); continue; }
                if (valueNode is not YamlScalarNode scalar)
                {
                    reader.Error(valueNode, $"{what}: the value of '{column}' must be a single value, found {YamlNodeReader.Describe(valueNode)}",
                        "write arrays and JSON as text, e.g. '{a,b}' or '{\"k\": 1}'");
                    continue;
                }
                cells[column] = YamlNodeReader.IsNull(scalar) ? null : scalar.Value;
                if (columns.All(c => c.Name != column)) columns.Add(new UnitTestColumn(column, reader.SpanOf(keyNode)));
            }
            rows.Add(new UnitTestRow(cells.ToImmutable(), reader.SpanOf(row)));
        }
        if (sameColumns)
            foreach (var row in rows.Where(r => r.Cells.Count != columns.Count))
                reader.ErrorAt(row.Span, $"{what}: every expected row lists the same columns ({string.Join(", ", columns.Select(c => c.Name))})",
                    "only the listed columns are compared, so a column left out of one row would not be checked there; write it as null");
        return new UnitTestRows([.. columns], rows.ToImmutable());
    }
}
