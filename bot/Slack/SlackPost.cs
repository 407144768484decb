using System.Text.Json.Nodes;

namespace ProcurementBot.Slack;

/// <summary>A message to post: to a channel (or DM channel id), optionally in a thread, with Block Kit blocks and the fallback text.</summary>
public sealed record SlackPost(string Channel, string Text, JsonArray? Blocks = null, string? ThreadTs = null);
