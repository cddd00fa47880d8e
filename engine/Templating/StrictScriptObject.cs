using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Lacrei.Engine.Templating;

/// <summary>
/// A template object (<c>schemas</c>, <c>vars</c>, <c>run</c>) whose unknown members are an error
/// naming the nearest known one, rather than Scriban's bare "Cannot get member".
/// </summary>
internal sealed class StrictScriptObject(string name) : ScriptObject
{
    public override bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object value)
    {
        if (base.TryGetValue(context, span, member, out value!)) return true;
        var known = Keys.Order(StringComparer.Ordinal).ToList();
        throw new TemplateHintException(span, $"unknown variable '{name}.{member}'",
            Diagnostics.Suggest.Hint(member, known, name));
    }
}

/// <summary>A template error that carries a "did you mean" hint.</summary>
internal sealed class TemplateHintException(SourceSpan span, string message, string hint)
    : ScriptRuntimeException(span, message)
{
    public string Hint { get; } = hint;
}
