using System.Collections;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ProcurementBot.BotFramework.Authentication;

/// <summary>What a channel token must say beyond its signature: where to answer, and that its key may speak for this channel.</summary>
internal static class ChannelTokenRules
{
    public const string ServiceUrlClaim = "serviceurl";
    public const string EndorsementsProperty = "endorsements";

    public static string? Check(JsonWebToken token, OpenIdConnectConfiguration configuration, string channelId, string? serviceUrl)
    {
        if (!token.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimed) || string.IsNullOrWhiteSpace(claimed))
        {
            return "The token has no serviceurl claim.";
        }

        if (!string.Equals(claimed, serviceUrl, StringComparison.OrdinalIgnoreCase))
        {
            return "The token's serviceurl does not match the activity's serviceUrl.";
        }

        var key = configuration.JsonWebKeySet?.Keys.FirstOrDefault(k => k.Kid == token.Kid);
        var endorsements = key is not null && key.AdditionalData.TryGetValue(EndorsementsProperty, out var value) ? Strings(value) : [];
        if (endorsements.Count == 0)
        {
            return "The token's signing key carries no endorsements.";
        }

        // Case-sensitive, as the Bot Connector's own validation compares them.
        return endorsements.Contains(channelId, StringComparer.Ordinal) ? null : "The token's signing key is not endorsed for this channel.";
    }

    // IdentityModel keeps unknown JWK members as parsed JSON: a JsonElement or a list, depending on the reader.
    private static List<string> Strings(object? value) => value switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } array => [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
        string single => [single],
        IEnumerable items => [.. items.Cast<object?>().Select(item => item?.ToString()).OfType<string>()],
        _ => [],
    };
}
