namespace ProcurementBot.Slack;

public sealed partial class SlackApiClient
{
    /// <summary><c>conversations.info</c>: the channel's name (without #); null when Slack does not say.</summary>
    public async Task<string?> GetChannelNameAsync(string channel, CancellationToken cancellationToken) =>
        (await ReadAsync("conversations.info", [new("channel", channel)], cancellationToken))["channel"]?["name"]?.GetValue<string>();
}
