using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using ProcurementBot.BotFramework;

namespace ProcurementBot.TryIt;

/// <summary>
/// The conversations of the local Direct Line endpoint, in memory and bounded: the oldest conversation goes
/// when there are too many, the oldest activities when one gets long. Nothing here survives a restart.
/// </summary>
internal sealed class DirectLineConversations(TimeProvider clock)
{
    /// <summary>Where the bot "sends" replies for these conversations: handled in-process, never resolved (.invalid).</summary>
    public const string ServiceUrl = "https://directline.try-it.invalid/";

    public const string ChannelId = "directline";
    public const int MaxConversations = 200;
    public const int MaxActivities = 500;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    public static readonly ChannelAccount Bot = new() { Id = "procurementbot", Name = "ProcurementBot", Role = "bot" };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DirectLineConversation> _byId = new(StringComparer.Ordinal);

    public DirectLineConversation Open(string userId, string userName, bool isChannel)
    {
        var now = clock.GetUtcNow();
        var conversation = new DirectLineConversation(
            RandomId(), RandomId() + RandomId(), new ChannelAccount { Id = userId, Name = userName, Role = "user" }, isChannel, now + TokenLifetime)
        { LastUsed = now };
        lock (_gate)
        {
            if (_byId.Count >= MaxConversations)
            {
                _byId.Remove(_byId.Values.MinBy(c => c.LastUsed)!.Id);
            }

            _byId[conversation.Id] = conversation;
        }

        return conversation;
    }

    /// <summary>The conversation a bearer token was issued for, while the token lasts (compared in constant time).</summary>
    public DirectLineConversation? ByToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var match = _byId.Values.FirstOrDefault(c => CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(c.Token), System.Text.Encoding.UTF8.GetBytes(token)));
            if (match is null || match.ExpiresAt <= now)
            {
                return null;
            }

            match.LastUsed = now;
            return match;
        }
    }

    public DirectLineConversation? Get(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Stores a new activity; returns its id (<c>{conversation}|{sequence}</c>, as Direct Line names them).</summary>
    public string? Append(string conversationId, Activity activity)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(conversationId, out var conversation))
            {
                return null;
            }

            var sequence = conversation.NextSequence++;
            activity.Id = $"{conversationId}|{sequence.ToString("D7", CultureInfo.InvariantCulture)}";
            activity.Timestamp ??= clock.GetUtcNow();
            Add(conversation, sequence, activity);
            return activity.Id;
        }
    }

    /// <summary>Replaces an activity for everyone watching: the new version follows in the stream under the same id.</summary>
    public bool Replace(string conversationId, string activityId, Activity activity)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(conversationId, out var conversation))
            {
                return false;
            }

            var original = conversation.Log.LastOrDefault(e => e.Activity.TryGetProperty("id", out var id) && id.GetString() == activityId).Activity;
            if (original.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            activity.Id = activityId;
            // The original time keeps the card where it was in the transcript.
            activity.Timestamp = original.TryGetProperty("timestamp", out var at) && at.TryGetDateTimeOffset(out var when) ? when : clock.GetUtcNow();
            Add(conversation, conversation.NextSequence++, activity);
            return true;
        }
    }

    /// <summary>What was stored after <paramref name="watermark"/>, and the watermark to ask with next time.</summary>
    public (IReadOnlyList<JsonElement> Activities, long Watermark)? Since(string conversationId, long watermark)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(conversationId, out var conversation))
            {
                return null;
            }

            conversation.LastUsed = clock.GetUtcNow();
            var activities = conversation.Log.Where(e => e.Sequence >= watermark).Select(e => e.Activity).ToList();
            return (activities, conversation.NextSequence);
        }
    }

    private static void Add(DirectLineConversation conversation, long sequence, Activity activity)
    {
        conversation.Log.Add((sequence, JsonSerializer.SerializeToElement(activity, ProtocolJson.Options)));
        if (conversation.Log.Count > MaxActivities)
        {
            conversation.Log.RemoveRange(0, conversation.Log.Count - MaxActivities);
        }
    }

    private static string RandomId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
