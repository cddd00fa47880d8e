using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Lacrei.Engine.Templating;

/// <summary>
/// A template function of text arguments (<c>ref "layer.step"</c>, <c>changes "layer.step" "col" …</c>),
/// described to Scriban by hand instead of by reflection over a delegate: binding one by
/// reflection cost about a millisecond in the native build, on the way to the first rendered step
/// (issue 21). Scriban checks the number of arguments and converts each to text as it does for a
/// delegate; <paramref name="body"/> gets the call's span and the arguments, with the list last when
/// <paramref name="lastIsList"/>.
/// </summary>
internal sealed class TemplateFunction(string[] parameters, bool lastIsList, Func<TemplateContext, SourceSpan, string[], string> body)
    : IScriptCustomFunction
{
    public int RequiredParameterCount => lastIsList ? parameters.Length - 1 : parameters.Length;

    public int ParameterCount => parameters.Length;

    public ScriptVarParamKind VarParamKind => lastIsList ? ScriptVarParamKind.LastParameter : ScriptVarParamKind.None;

    public Type ReturnType => typeof(string);

    public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(string), parameters[Math.Min(index, parameters.Length - 1)]);

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
    {
        var span = callerContext?.Span ?? context.CurrentSpan;
        var fixedCount = lastIsList ? parameters.Length - 1 : parameters.Length;
        var list = lastIsList ? arguments[fixedCount] as ScriptArray ?? [] : [];
        var values = new string[fixedCount + list.Count];
        for (var i = 0; i < fixedCount; i++) values[i] = context.ToObject<string>(span, arguments[i]) ?? "";
        for (var i = 0; i < list.Count; i++) values[fixedCount + i] = context.ToObject<string>(span, list[i]) ?? "";
        return body(context, span, values);
    }

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));
}
