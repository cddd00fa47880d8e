using System.Collections.Concurrent;
using Scriban;

namespace Lacrei.Engine.Templating;

/// <summary>
/// Each template file parsed once per process. A run renders most files several times (the
/// incremental and the full variant, again once the change logs' readers are known, and once more
/// for the state's hashes), and parsing was most of rendering's cost (issue 21: rendering is CPU
/// work a no-op run waits for). An entry is reused only while the file's text is the same, so an
/// edited file (the service reloads its project) is parsed again. A parsed template is only read
/// when rendered, each render with a context of its own, so threads share it as they share the
/// macros (Macros.cs).
/// </summary>
internal static class ParsedTemplates
{
    private static readonly ConcurrentDictionary<string, (string Text, Template Template)> ByFile = new(StringComparer.Ordinal);

    /// <param name="display">The file as errors name it: also the key.</param>
    public static Template Parse(string text, string display)
    {
        if (ByFile.TryGetValue(display, out var parsed) && string.Equals(parsed.Text, text, StringComparison.Ordinal)) return parsed.Template;
        var template = Template.Parse(text, display);
        if (!template.HasErrors) ByFile[display] = (text, template);
        return template;
    }
}
