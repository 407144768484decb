using System.Text.RegularExpressions;

namespace ProcurementBot.Slack;

/// <summary>
/// The bot's Markdown (<c>**bold**</c>, <c>*italic*</c>, <c>[text](url)</c>) as Slack's mrkdwn (<c>*bold*</c>,
/// <c>_italic_</c>, <c>&lt;url|text&gt;</c>), with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped as Slack asks, so
/// nobody's text can turn into a mention or a link.
/// </summary>
public static partial class SlackMrkdwn
{
    /// <summary>Slack's limit for one text object.</summary>
    public const int MaxText = 3000;

    public static string FromMarkdown(string markdown)
    {
        var links = new List<string>();
        var text = Link().Replace(markdown, m =>
        {
            links.Add($"<{m.Groups["url"].Value}|{Escape(m.Groups["text"].Value)}>");
            return $"\u0001{links.Count - 1}\u0001";
        });
        text = Escape(text);
        text = Bold().Replace(text, "\u0002${inner}\u0002");
        text = Italic().Replace(text, "_${inner}_");
        text = text.Replace('\u0002', '*');
        return Placeholder().Replace(text, m => links[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
    }

    /// <summary>Text shown as it is, never as formatting: escaped, with the mrkdwn markers kept literal.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>At most <paramref name="max"/> characters, cut at a whole character with an ellipsis.</summary>
    public static string Limit(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<url>https?://[^)\s|>]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*(?<inner>[^*\n]+?)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![*\w])\*(?<inner>[^*\n]+?)\*(?![*\w])")]
    private static partial Regex Italic();

    [GeneratedRegex("\u0001(\\d+)\u0001")]
    private static partial Regex Placeholder();
}
