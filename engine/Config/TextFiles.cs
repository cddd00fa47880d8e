using Lacrei.Engine.Diagnostics;

namespace Lacrei.Engine.Config;

/// <summary>
/// The project's own text files (pipeline.yaml, SQL and scope files, macros, unit tests,
/// migrations, seeds) as UTF-8 without a byte-order mark. A byte that is not UTF-8 (a Latin-1 'ã'
/// from another editor) is refused at its line and column: read leniently it would become U+FFFD,
/// and inside a string literal ('Não informado') reach the warehouse as another value.
/// </summary>
public static class TextFiles
{
    public static string Read(string path) => Decode(File.ReadAllBytes(path), DisplayPath.Of(path), "the file");

    /// <param name="what">How the error names the file after its location: "the file", or "seed states".</param>
    public static string Decode(byte[] bytes, string display, string what)
    {
        var chars = new char[bytes.Length];
        if (System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var valid, out var written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            var lineStart = valid == 0 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', valid - 1) + 1;
            var line = bytes.AsSpan(0, valid).Count((byte)'\n') + 1;
            var column = written - (Array.LastIndexOf(chars, '\n', Math.Max(0, written - 1)) + 1) + 1;
            throw new PipelineException(ErrorKind.Config, new SourceSpan(display, line, Math.Max(1, column)),
                $"{what} is not UTF-8: line {line} has byte 0x{bytes[valid]:X2} at byte {valid - lineStart + 1} of the line (byte {valid + 1} of the file)",
                $"save it as UTF-8, e.g. iconv -f latin1 -t utf-8 {display} > fixed{Path.GetExtension(display)}");
        }
        return new string(chars, 0, written).TrimStart('\uFEFF');
    }
}
