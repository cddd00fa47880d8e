using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Lacrei.Engine.Cli;

/// <summary>Serilog events to a TextWriter (stderr, or a test's buffer), one formatter, thread-safe.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter writer) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}
