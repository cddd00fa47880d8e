using System.Globalization;
using System.Text;
using Serilog.Events;
using Serilog.Formatting;

namespace Lacrei.Engine.Cli;

/// <summary>
/// Text logs with every control character in a property escaped (<c>\n</c>, <c>\u001b</c>…), so
/// a value that came from a visitor — a user name, a request path — cannot start a forged log
/// line or colour a terminal (issue 20). JSON logs need no help: JSON escapes them already.
/// </summary>
internal sealed class EscapingFormatter(ITextFormatter inner) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        if (!logEvent.Properties.Values.Any(NeedsEscaping))
        {
            inner.Format(logEvent, output);
            return;
        }
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, Escape(p.Value)));
        inner.Format(new LogEvent(logEvent.Timestamp, logEvent.Level, logEvent.Exception, logEvent.MessageTemplate, properties), output);
    }

    private static bool NeedsEscaping(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } => text.Any(IsControl),
        SequenceValue sequence => sequence.Elements.Any(NeedsEscaping),
        StructureValue structure => structure.Properties.Any(p => NeedsEscaping(p.Value)),
        DictionaryValue dictionary => dictionary.Elements.Any(e => NeedsEscaping(e.Key) || NeedsEscaping(e.Value)),
        _ => false,
    };

    private static LogEventPropertyValue Escape(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when text.Any(IsControl) => new ScalarValue(Escape(text)),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Escape)),
        StructureValue structure => new StructureValue(structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))), structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(e =>
            KeyValuePair.Create((ScalarValue)Escape(e.Key), Escape(e.Value)))),
        _ => value,
    };

    /// <summary>C0 and C1 controls, and the Unicode line and paragraph separators some viewers break lines at.</summary>
    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        return escaped.ToString();
    }
}
