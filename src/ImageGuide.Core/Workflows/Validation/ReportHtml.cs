using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace ImageGuide.Workflows.Validation;

/// <summary>
/// Turns the validation report's Markdown (the subset <see cref="ValidationReportWriter.Markdown"/> writes: headings,
/// paragraphs, pipe tables, bullet lists, <c>**bold**</c>, <c>`code`</c> and images) into one self-contained HTML page:
/// every image is embedded as a <c>data:image/png;base64</c> URI, so the page can be mailed or archived on its own.
/// </summary>
public static partial class ReportHtml
{
    /// <summary>Renders <paramref name="markdown"/>; image paths are relative to <paramref name="folder"/>.</summary>
    /// <exception cref="ValidationException">An image the report links to is missing.</exception>
    public static string Render(string markdown, string folder, string title)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(folder);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(WebUtility.HtmlEncode(title))
          .Append("</title>\n<style>\nbody{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\n")
          .Append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:.25em .6em;text-align:right}\n")
          .Append("th:first-child,td:first-child{text-align:left}th{background:#eee}img{max-width:100%;margin:.3em}\n")
          .Append("code{background:#f3f3f3;padding:0 .2em}\n</style>\n</head>\n<body>\n");
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                int level = line.TakeWhile(c => c == '#').Count();
                sb.Append("<h").Append(level).Append('>').Append(Inline(line[level..].Trim(), folder)).Append("</h").Append(level).Append(">\n");
            }
            else if (line.StartsWith('|'))
            {
                sb.Append("<table>\n");
                bool header = true;
                for (; i < lines.Length && lines[i].StartsWith('|'); i++)
                {
                    var cells = lines[i].Trim().Trim('|').Split('|');
                    if (cells.All(c => c.Trim().All(ch => ch == '-'))) { header = false; continue; }
                    string tag = header ? "th" : "td";
                    sb.Append("<tr>");
                    foreach (var c in cells) sb.Append('<').Append(tag).Append('>').Append(Inline(c.Trim(), folder)).Append("</").Append(tag).Append('>');
                    sb.Append("</tr>\n");
                }
                i--;
                sb.Append("</table>\n");
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                sb.Append("<ul>\n");
                for (; i < lines.Length && lines[i].StartsWith("- ", StringComparison.Ordinal); i++)
                    sb.Append("<li>").Append(Inline(lines[i][2..], folder)).Append("</li>\n");
                i--;
                sb.Append("</ul>\n");
            }
            else sb.Append("<p>").Append(Inline(line, folder)).Append("</p>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Escapes the text and renders images, bold and code spans.</summary>
    private static string Inline(string text, string folder)
    {
        var sb = new StringBuilder();
        int at = 0;
        foreach (Match m in ImagePattern().Matches(text))
        {
            sb.Append(Emphasis(text[at..m.Index]));
            string path = Path.Combine(folder, m.Groups[2].Value);
            if (!File.Exists(path)) throw new ValidationException($"The validation report links to '{path}', which does not exist; rerun 'imageguide validate' with the same --out to rebuild it.");
            sb.Append("<img alt=\"").Append(WebUtility.HtmlEncode(m.Groups[1].Value)).Append("\" src=\"data:image/png;base64,")
              .Append(Convert.ToBase64String(File.ReadAllBytes(path))).Append("\">");
            at = m.Index + m.Length;
        }
        sb.Append(Emphasis(text[at..]));
        return sb.ToString();
    }

    private static string Emphasis(string text)
    {
        string html = WebUtility.HtmlEncode(text);
        html = BoldPattern().Replace(html, "<strong>$1</strong>");
        return CodePattern().Replace(html, "<code>$1</code>");
    }

    [GeneratedRegex(@"!\[([^\]]*)\]\(([^)]+)\)")]
    private static partial Regex ImagePattern();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldPattern();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodePattern();
}
