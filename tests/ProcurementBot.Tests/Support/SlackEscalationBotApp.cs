using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The bot with Slack on, one chat admin listed by Slack user id (<see cref="Admin"/>), the escalation worker off (tests
/// run it with <see cref="ProcessEscalationsAsync"/>), and a recording 1:1 gateway in front for Slack people, so check-ins
/// reach Slack requesters and the core's "resolved" message to them can be read.
/// <para>
/// Payloads reach the bot through <see cref="DeliverEventAsync"/>, <see cref="DeliverActionAsync"/> and
/// <see cref="SubmitViewAsync"/>: today they call the Slack handlers as the endpoints will (the event handlers that take
/// the event; the interaction handler whose prefix matches the action id or callback id). Once /api/slack/events and
/// /api/slack/interactions exist, these three become signed POSTs (<see cref="SlackBotApp.PostEventAsync"/>,
/// <see cref="SlackBotApp.PostInteractionAsync"/>) and the tests, which wait for the Web API calls they assert on,
/// stay as they are.
/// </para>
/// </summary>
public class SlackEscalationBotApp : SlackBotApp
{
    public SlackMember Admin { get; } = SlackEscalationPayloads.NewMember("Adele Vance");

    public RecordingSlackGateway Gateway { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> SlackSettings =>
    [
        new("Admin:Users:0", Admin.Id),
        new("Escalations:WorkerEnabled", "false"),
    ];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Slack.AddMember(Admin);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // First, so the core picks it for Slack people whatever other gateways there are.
        builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IChannelGateway>(Gateway)));
    }

    public Task<int> ProcessEscalationsAsync() => Services.GetRequiredService<EscalationWorker>().ProcessDueAsync(CancellationToken.None);

    // Delivering payloads: signed POSTs to /api/slack/events and /api/slack/interactions, as Slack sends them.

    /// <summary>Slack delivers the event; the bot acknowledges it and handles it off the request.</summary>
    public async Task DeliverEventAsync(JsonObject envelope) => (await PostEventAsync(envelope)).EnsureSuccessStatusCode();

    /// <summary>Slack delivers the click; the bot acknowledges it and handles it off the request.</summary>
    public async Task DeliverActionAsync(JsonObject payload) => (await PostInteractionAsync(payload)).EnsureSuccessStatusCode();

    /// <summary>Returns the body the bot answers the submission with: null (an empty 200) closes the modal.</summary>
    public async Task<JsonObject?> SubmitViewAsync(JsonObject payload)
    {
        // Handled on the request, which may wait for paced Web API calls: the clock moves on meanwhile.
        using var response = await AdvancingAsync(PostInteractionAsync(payload));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        return body.Length == 0 ? null : JsonNode.Parse(body) as JsonObject;
    }

    // People, channels, escalations.

    /// <summary>A workspace member the Web API stand-in knows.</summary>
    public SlackMember NewMember(string name) => Slack.AddMember(SlackEscalationPayloads.NewMember(name));

    /// <summary>A member the bot has met in a DM (as the Slack check-in side records them): check-ins reach them.</summary>
    public async Task<Person> MeetAsync(SlackMember member)
    {
        var seen = SlackPayloads.PersonOf(member, Clock.GetUtcNow());
        return (await Services.GetRequiredService<PeopleDirectory>().RecordContactAsync(seen, CancellationToken.None)).Person;
    }

    /// <summary>Someone says "@ProcurementBot {text}" in the channel; returns the bot's answer in the mention's thread.</summary>
    public async Task<string> SayAsync(SlackMember who, string channel, string text)
    {
        var mention = SlackEscalationPayloads.AppMention(who.Id, channel, text);
        var ts = mention["event"]!["ts"]!.GetValue<string>();
        await DeliverEventAsync(mention);
        var reply = await WaitForCallAsync("chat.postMessage", c => c.Arg("channel") == channel && c.Arg("thread_ts") == ts);
        return reply.Arg("text")!;
    }

    /// <summary>
    /// A purchase whose Slack requester rates it 1, says it was late and what went wrong, typed in their DM.
    /// Returns the check-in id (the purchase id), whose escalation is then raised.
    /// </summary>
    public async Task<string> AnswerBadlyAsync(SlackMember requester, string category, string? buyerEmail = null, string comment = "The screen was cracked and the charger missing.")
    {
        var person = await MeetAsync(requester);
        var purchaseId = $"PO-{Guid.NewGuid():N}"[..16];
        (await PostPurchasesAsync(EscalationBotApp.BadPurchase(purchaseId, requester.Email, category, buyerEmail))).EnsureSuccessStatusCode();
        await DispatchAsync();
        Assert.Contains(Gateway.Sent, s => s.PersonId == person.Id && s.Replies.Any(r => r is CheckInCardReply c && c.Card.CheckInId == purchaseId));

        var conversation = Services.GetRequiredService<CheckInConversation>();
        foreach (var typed in new[] { "1", "no", comment })
        {
            await conversation.HandleAsync(new Turn(person, $"slack|{Guid.NewGuid():N}", typed, null), CancellationToken.None);
        }

        Assert.Equal(CheckInStatus.Completed, (await Store.GetCheckInAsync(purchaseId, default))!.Status);
        return purchaseId;
    }

    public async Task<Escalation> EscalationAsync(string checkInId) =>
        (await Store.GetEscalationAsync(Escalation.IdForCheckIn(checkInId), default))!;

    /// <summary>The blocks of the escalation's message as the bot last drew them (posted, or updated since).</summary>
    public JsonArray CurrentBlocks(Escalation escalation) =>
        Slack.Calls.Last(c => (c.Method == "chat.postMessage" || c.Method == "chat.update") && IsMessageOf(c, escalation))
            .Arguments["blocks"]!.AsArray();

    /// <summary>Whether a chat.postMessage or chat.update drew this escalation (its buttons carry the escalation id).</summary>
    public static bool IsMessageOf(SlackCall call, Escalation escalation) =>
        call.Arguments["blocks"] is JsonArray blocks && blocks.ToJsonString().Contains(escalation.Id, StringComparison.Ordinal)
        && call.Arguments["thread_ts"] is null;

    /// <summary>
    /// <paramref name="who"/> clicks a button on the message as it is now drawn; returns the payload (to deliver again as
    /// a retry) after it was delivered.
    /// </summary>
    public async Task<JsonObject> ClickAsync(SlackMember who, Escalation escalation, string actionId, JsonArray? blocks = null)
    {
        var payload = Click(who, escalation, actionId, blocks);
        await DeliverActionAsync(payload);

        // Handled off the request: done before the test goes on, as a person would see it before clicking on.
        Assert.True(await WaitForSlackIdleAsync(), "The click was still being handled after 20 seconds.");
        return payload;
    }

    public JsonObject Click(SlackMember who, Escalation escalation, string actionId, JsonArray? blocks = null)
    {
        blocks ??= CurrentBlocks(escalation);
        var button = SlackEscalationPayloads.Button(blocks, actionId) ?? throw new InvalidOperationException($"The message has no {actionId} button.");
        return SlackEscalationPayloads.BlockAction(who, escalation.Card!.ConversationId, escalation.Card.ActivityId, blocks, button, Slack.NewResponseUrl());
    }

    /// <summary>Waits for a Web API call (or response_url post) that matches; the bot may make it off the request.</summary>
    public async Task<SlackCall> WaitForCallAsync(string method, Func<SlackCall, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Slack.CallsOf(method).LastOrDefault(match) is { } call)
            {
                return call;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching {method} call; saw: {string.Join(", ", Slack.Calls.Select(c => c.Method))}");
            }

            // The bot works off the request, its Web API calls paced on the test's clock: let that clock move.
            await Task.Delay(50);
            if (Slack.CallsOf(method).LastOrDefault(match) is null)
            {
                Clock.Advance(TimeSpan.FromSeconds(1));
            }
        }
    }
}

/// <summary>The core's 1:1 messages to Slack people, recorded instead of sent (the Slack gateway is not this branch's).</summary>
public sealed class RecordingSlackGateway : IChannelGateway
{
    private readonly Lock _lock = new();
    private readonly List<(string PersonId, IReadOnlyList<Reply> Replies)> _sent = [];

    public IReadOnlyList<(string PersonId, IReadOnlyList<Reply> Replies)> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public bool CanReach(Person person) => person.Channel == "slack";

    /// <summary>The texts sent to one person.</summary>
    public IReadOnlyList<string> TextsTo(string personId) =>
        [.. Sent.Where(s => s.PersonId == personId).SelectMany(s => s.Replies.OfType<TextReply>()).Select(r => r.Text)];

    public Task<IReadOnlyList<string?>> SendAsync(Person person, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _sent.Add((person.Id, replies));
        }

        return Task.FromResult<IReadOnlyList<string?>>([.. replies.Select(_ => (string?)$"{SlackEscalationPayloads.NewTs()}")]);
    }
}
