namespace ProcurementBot.People;

/// <summary>
/// Someone the bot can reach: where their 1:1 chat is and who they are in the directory.
/// <see cref="Id"/> is "{channel}:{channel user id}".
/// </summary>
public sealed record Person
{
    public required string Id { get; init; }
    public required string Channel { get; init; }
    public required string UserId { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? UserPrincipalName { get; init; }
    public string? AadObjectId { get; init; }
    public string? TenantId { get; init; }

    /// <summary>The connector the person's 1:1 chat lives on; only from authenticated activities.</summary>
    public string? ServiceUrl { get; init; }
    public string? ConversationId { get; init; }
    public string? BotId { get; init; }
    public string? BotName { get; init; }
    public string? Locale { get; init; }

    /// <summary>The person's IANA time zone (e.g. <c>Europe/Berlin</c>) as their client reported it; null if never reported.</summary>
    public string? TimeZone { get; init; }
    public bool OptedOut { get; init; }

    /// <summary>When the person last said <c>opt out</c> or <c>opt in</c>.</summary>
    public DateTimeOffset? OptedOutChangedAt { get; init; }
    public required DateTimeOffset FirstSeenAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public static string MakeId(string channel, string userId) => $"{channel}:{userId}";

    /// <summary>The addresses a purchase may name this person by.</summary>
    public IEnumerable<string> Addresses()
    {
        if (!string.IsNullOrWhiteSpace(Email))
        {
            yield return Email.Trim().ToLowerInvariant();
        }

        if (!string.IsNullOrWhiteSpace(UserPrincipalName) && !string.Equals(UserPrincipalName, Email, StringComparison.OrdinalIgnoreCase))
        {
            yield return UserPrincipalName.Trim().ToLowerInvariant();
        }
    }
}
