using System.Collections.Immutable;
using Lacrei.Engine.Config;
using Lacrei.Engine.Diagnostics;
using Scriban;
using Scriban.Syntax;

namespace Lacrei.Engine.Templating;

/// <summary>
/// The pipeline's macros: the <c>.sql</c> files under its macros folder (<c>macros:</c> in
/// pipeline.yaml, else <c>macros/</c> beside it), each defining Scriban functions
/// (<c>{{ func cents_to_reais(col) }}round({{ col }} / 100.0, 2){{ end }}</c>) that every template
/// may call. Parsed once; defined again in each template's context before it renders, so a macro
/// sees that template's <c>this</c>, <c>vars</c> and <c>ref</c>, and an error inside it is
/// reported at the macro file's own line (Scriban keeps each template's file in its spans).
/// </summary>
internal sealed class Macros
{
    /// <summary>Names the engine defines in every template; a macro may not take them.</summary>
    private static readonly string[] Reserved =
        ["schemas", "sources", "vars", "run", "ref", "source", "this", "changes", "changed", "before", "scope", "watermark", "is_incremental", "string", "array"];

    private readonly ImmutableArray<(string File, Template Template)> _files;

    private Macros(ImmutableArray<(string File, Template Template)> files) => _files = files;

    public static readonly Macros None = new([]);

    /// <summary>The names of the functions the macros define, with the file of each.</summary>
    public ImmutableSortedDictionary<string, string> Functions { get; private init; } = ImmutableSortedDictionary<string, string>.Empty;

    public static Macros Load(string? dir)
    {
        if (dir is null || !Directory.Exists(dir)) return None;
        var problems = new DiagnosticBag();
        var files = ImmutableArray.CreateBuilder<(string, Template)>();
        var functions = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(dir, "*.sql", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var display = DisplayPath.Of(path);
            var template = Template.Parse(TextFiles.Read(path), display);
            if (template.HasErrors)
            {
                foreach (var m in template.Messages)
                    problems.Add(new SourceSpan(display, m.Span.Start.Line + 1, m.Span.Start.Column + 1), $"template syntax: {m.Message}",
                        "a macro file defines functions: {{ func name(column) }}SQL using {{ column }}{{ end }}");
                continue;
            }
            foreach (var function in Defined(template.Page!))
            {
                var name = function.NameOrDoToken is ScriptVariable v ? v.Name : "";
                var at = new SourceSpan(display, function.Span.Start.Line + 1, function.Span.Start.Column + 1, Math.Max(1, name.Length));
                if (Reserved.Contains(name))
                    problems.Add(at, $"macro '{name}' would hide the engine's '{name}'", "give the macro another name");
                else if (functions.TryGetValue(name, out var first))
                    problems.Add(at, $"macro '{name}' is already defined in {first}", "give one of them another name");
                else functions[name] = display;
            }
            files.Add((display, template));
        }
        problems.ThrowIfAny();
        return new Macros(files.ToImmutable()) { Functions = functions.ToImmutable() };
    }

    /// <summary>Defines the macros' functions in a template's context: evaluating a file runs its <c>func</c> statements.</summary>
    public void Define(TemplateContext context)
    {
        foreach (var (file, template) in _files)
        {
            var written = template.Render(context);
            // Text outside a func would be lost here; say so rather than drop it (comments may document the file).
            if (!Sql.SqlStatements.Split(written).IsEmpty)
                throw new PipelineException(ErrorKind.Config, new SourceSpan(file, 1, 1),
                    "a macro file may only define functions, but this one writes text outside {{ func }} … {{ end }}",
                    "move the text into a function, or into the step's SQL");
        }
    }

    private static IEnumerable<ScriptFunction> Defined(ScriptNode node)
    {
        if (node is ScriptFunction function) { yield return function; yield break; }
        for (var i = 0; i < node.ChildrenCount; i++)
            if (node.GetChildren(i) is { } child)
                foreach (var found in Defined(child)) yield return found;
    }
}
