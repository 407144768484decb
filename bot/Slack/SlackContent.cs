using System.Text.Json.Nodes;

namespace ProcurementBot.Slack;

/// <summary>A Slack message: the fallback text (notifications, screen readers) and its Block Kit blocks.</summary>
public sealed record SlackContent(string Text, JsonArray Blocks);
