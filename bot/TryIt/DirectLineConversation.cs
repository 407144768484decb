using System.Text.Json;
using ProcurementBot.BotFramework;

namespace ProcurementBot.TryIt;

/// <summary>One local Direct Line conversation: who is in it, its token, and what was said, in order.</summary>
internal sealed class DirectLineConversation(string id, string token, ChannelAccount user, bool isChannel, DateTimeOffset expiresAt)
{
    public string Id { get; } = id;
    public string Token { get; } = token;
    public ChannelAccount User { get; } = user;

    /// <summary>The procurement pane: a channel the bot posts escalations to, not a 1:1 chat.</summary>
    public bool IsChannel { get; } = isChannel;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    private int _started;

    /// <summary>True the first time only: the client connected, and the bot should hear who joined.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;

    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Every activity as it was stored; an update is a later entry with the same id (Web Chat replaces it).</summary>
    public List<(long Sequence, JsonElement Activity)> Log { get; } = [];
    public long NextSequence { get; set; }

    public ConversationAccount Account() => IsChannel
        ? new ConversationAccount { Id = Id, IsGroup = true, ConversationType = "channel", Name = "Procurement (try it)" }
        : new ConversationAccount { Id = Id, ConversationType = "personal" };
}
