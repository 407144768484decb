using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ProcurementBot.BotFramework.Authentication;
using ProcurementBot.CheckIns;
using ProcurementBot.Escalations;
using ProcurementBot.People;
using ProcurementBot.Purchases;
using ProcurementBot.QuestionSets;
using ProcurementBot.Rollups;
using ProcurementBot.Slack;
using ProcurementBot.Storage;
using ProcurementBot.Storage.Sqlite;
using ProcurementBot.Tenants;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace ProcurementBot.Tests.Support;

/// <summary>
/// The escalation core on its own SQLite file with a fake clock. Fakes only at its edges: a recording
/// procurement channel (the Teams adapter's seam) and a recording 1:1 gateway. Test classes derive
/// from it; xUnit makes a new instance, so a new file, per test.
/// </summary>
public abstract class EscalationHarness : IAsyncLifetime
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public const string SetId = "escalating";
    public const string AdminEmail = "olivia@contoso.com";

    /// <summary>Listed in <c>Admin:Users</c> by email; installed the bot, so the bot can tell her things.</summary>
    public static readonly Actor Admin = new("msteams:29:olivia", "Olivia Admin", "00000000-0000-4000-8000-0000000000a1", AdminEmail);

    /// <summary>Members of the procurement team (the channel double says so).</summary>
    public static readonly Actor Bob = new("msteams:29:bob", "Bob Buyer", "00000000-0000-4000-8000-0000000000b1", "bob@contoso.com");
    public static readonly Actor Carol = new("msteams:29:carol", "Carol Buyer", "00000000-0000-4000-8000-0000000000c1", "carol@contoso.com");

    /// <summary>Neither an admin nor a team member.</summary>
    public static readonly Actor Mallory = new("msteams:29:mallory", "Mallory", "00000000-0000-4000-8000-0000000000d1", "mallory@contoso.com");

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"procurementbot-escalations-{Guid.NewGuid():N}.db");
    private readonly List<SqliteStore> _stores = [];
    private int _actions;

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _file }.ToString();

    public FakeTimeProvider Clock { get; } = new(T0);

    public RecordingEscalationAdapter Channel { get; } = new();

    public RecordingGateway Gateway { get; } = new();

    public EscalationOptions Settings { get; } = new()
    {
        AcknowledgeWithin = TimeSpan.FromHours(4),
        ResolveWithin = TimeSpan.FromDays(3),
        LeaseDuration = TimeSpan.FromMinutes(2),
        WorkerEnabled = false,
    };

    public IProcurementStore Store { get; private set; } = null!;

    public EscalationService Service { get; private set; } = null!;

    public EscalationWorker Worker { get; private set; } = null!;

    // Local mode: no tenant is checked, as when the bot runs without MicrosoftAppId.
    private static TenantPolicy Tenants { get; } = new(MsOptions.Create(new BotIdentityOptions()), MsOptions.Create(new SlackOptions()));

    private EscalationAdmins Admins { get; } = new(new ConfigurationBuilder()
        .AddInMemoryCollection([new("Admin:Users:0", AdminEmail), new("Admin:Users:1", "nobody-installed@contoso.com")])
        .Build(), Tenants);

    public async Task InitializeAsync()
    {
        Store = Connect();
        await Store.InitializeAsync(default);
        Service = NewService(Store);
        Worker = NewWorker(Store);
        await Store.AddQuestionSetVersionAsync(Set(), default);
        await Store.AddQuestionSetVersionAsync(Set() with { Id = "anonymous", Anonymous = true }, default);
        foreach (var person in new[] { PersonFor(Admin), PersonFor(Bob), PersonFor(Requester) })
        {
            await Store.UpsertPersonAsync(person, default);
        }

        Channel.Members.UnionWith([Bob.PersonId, Carol.PersonId]);
    }

    public Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }

        return Task.CompletedTask;
    }

    /// <summary>Another client on the same file, as another bot instance has.</summary>
    public IProcurementStore Connect()
    {
        var store = new SqliteStore(ConnectionString);
        _stores.Add(store);
        return store;
    }

    /// <summary>Another instance's service on another store client.</summary>
    public EscalationService NewService(IProcurementStore store) =>
        new(store, new QuestionSetCatalog(store), [Channel], [Gateway], Admins, NewRollups(store), Clock, MsOptions.Create(Settings), NullLogger<EscalationService>.Instance);

    /// <summary>Another instance's worker: its own lease owner, on its own store client unless given one.</summary>
    public EscalationWorker NewWorker(IProcurementStore? store = null)
    {
        store ??= Connect();
        return new(store, NewFinishes(store), [Channel], [Gateway], Admins, new PeopleDirectory(store, Tenants, Clock, NullLogger<PeopleDirectory>.Instance), NewRollups(store), Clock, MsOptions.Create(Settings), NullLogger<EscalationWorker>.Instance);
    }

    /// <summary>Another instance's outbox of finished check-ins, on this store client.</summary>
    public FinishedCheckIns NewFinishes(IProcurementStore store) =>
        new(store, new QuestionSetCatalog(store), NewService(store), NewRollups(store), Clock, MsOptions.Create(Settings), NullLogger<FinishedCheckIns>.Instance);

    /// <summary>The results of another instance on this store client.</summary>
    public ResultRollups NewRollups(IProcurementStore store) => new(store, Clock, NullLogger<ResultRollups>.Instance);

    // The question set: every kind of rule, and a free-text question that is always asked so keywords can be tried alone.

    public static QuestionSet Set() => new()
    {
        Id = SetId,
        Name = "Escalating",
        IsDefault = true,
        Questions =
        [
            new() { Id = "overall", Type = QuestionType.Rating, Text = "How happy are you with {description} from {supplier}?" },
            new() { Id = "onTime", Type = QuestionType.YesNo, Text = "Did it arrive when you needed it?" },
            new() { Id = "recommend", Type = QuestionType.Nps, Text = "Would you recommend {supplier}?", Required = false },
            new() { Id = "comment", Type = QuestionType.Text, Text = "Anything else?", Required = false },
        ],
        EscalationRules =
        [
            new() { Id = "low-rating", When = new() { Question = "overall", AtMost = 2 }, Severity = Severity.High, Description = "Rated 2 or less" },
            new() { Id = "late", When = new() { Question = "onTime", EqualsValue = "no" }, Severity = Severity.Medium },
            new() { Id = "detractor", When = new() { Question = "recommend", AtMost = 6 }, Severity = Severity.Low, Description = "NPS detractor" },
            new() { Id = "safety", When = new() { Question = "comment", ContainsAny = ["fire", "Smoke", "electric shock"] }, Severity = Severity.High, Description = "Safety concern" },
            new() { Id = "supplier-trend", When = new() { Question = "overall", AtMost = 2 }, Trend = new() { Count = 3, WithinDays = 30 }, Severity = Severity.High, Description = "3 low ratings in 30 days" },
        ],
    };

    // Check-ins

    public static readonly Actor Requester = new("msteams:29:alice", "Alice Wong", null, "alice@contoso.com");

    /// <summary>A completed check-in for <paramref name="purchaseId"/> with these typed answers (question id, as typed).</summary>
    public static CheckIn Answered(string purchaseId, params (string Question, string Typed)[] answers) =>
        AnsweredFor(purchaseId, "Dell", SetId, answers);

    public static CheckIn AnsweredFor(string purchaseId, string supplier, string setId, params (string Question, string Typed)[] answers)
    {
        var set = Set();
        return new CheckIn
        {
            Id = purchaseId,
            Purchase = new Purchase
            {
                PurchaseId = purchaseId,
                RequesterEmail = Requester.Email!,
                Supplier = supplier,
                Category = "laptops",
                Description = "Latitude 7450",
                DeliveredAt = T0.AddDays(-3),
                Amount = 1499.50m,
                Currency = "EUR",
                BuyerEmail = Bob.Email,
            },
            RequesterKey = Requester.Email!,
            QuestionSetId = setId,
            QuestionSetVersion = 1,
            Status = CheckInStatus.Completed,
            DueAt = T0.AddDays(-1),
            CreatedAt = T0.AddDays(-3),
            PersonId = Requester.PersonId,
            Answers = [.. answers.Select(a => Answer.Of(set.FindQuestion(a.Question)!, AnswerParser.Parse(set.FindQuestion(a.Question)!, a.Typed)!.Value, T0))],
        };
    }

    /// <summary>Raises for a check-in and returns the escalation it made, if any.</summary>
    public async Task<Escalation?> RaiseAsync(CheckIn checkIn)
    {
        await Service.RaiseForCheckInAsync(checkIn, default);
        return await Store.GetEscalationAsync(Escalation.IdForCheckIn(checkIn.Id), default);
    }

    // Channels and actions

    public static EscalationDestination ChannelAt(string conversationId, string category = "") => new()
    {
        Category = category,
        ChannelId = "msteams",
        ServiceUrl = "https://smba.example.test/",
        ConversationId = conversationId,
        TeamId = "19:procurement-team@thread.tacv2",
        RegisteredBy = Admin.PersonId,
        RegisteredAt = T0,
    };

    public Task<RegistrationResult> RegisterAsync(string conversationId = "19:procurement@thread.tacv2", string category = "", Actor? by = null) =>
        Service.RegisterChannelAsync(by ?? Admin, ChannelAt(conversationId, category), default);

    /// <summary>A low rating raised, registered and posted: an escalation with a card, as buyers see it.</summary>
    public async Task<Escalation> PostedAsync(string purchaseId = "PO-1")
    {
        if ((await Store.GetEscalationDestinationsAsync(default)).Count == 0)
        {
            await RegisterAsync();
        }

        await RaiseAsync(Answered(purchaseId, ("overall", "1"), ("comment", "Screen cracked")));
        await Worker.ProcessDueAsync(default);
        return (await Store.GetEscalationAsync(Escalation.IdForCheckIn(purchaseId), default))!;
    }

    /// <summary>A click on the card as it is now; a new action key unless one is given (a retry).</summary>
    public async Task<ActResult> ActAsync(string escalationId, EscalationVerb verb, Actor actor, string? note = null, string? actionKey = null, int? revision = null)
    {
        revision ??= (await Store.GetEscalationAsync(escalationId, default))?.Revision;
        return await Service.ActAsync(new(escalationId, verb, actor, actionKey ?? NewActionKey(), revision, note), default);
    }

    public string NewActionKey() => $"msteams|19:procurement|{Interlocked.Increment(ref _actions).ToString(CultureInfo.InvariantCulture)}";

    private static Person PersonFor(Actor actor) => new()
    {
        Id = actor.PersonId,
        Channel = "msteams",
        UserId = actor.PersonId["msteams:".Length..],
        Name = actor.Name,
        Email = actor.Email,
        AadObjectId = actor.AadObjectId,
        FirstSeenAt = T0.AddDays(-30),
        UpdatedAt = T0.AddDays(-30),
    };
}

/// <summary>The procurement channel as the core sees it: records what was posted, updated and said; can fail on demand.</summary>
public sealed class RecordingEscalationAdapter : IEscalationAdapter
{
    private readonly Lock _lock = new();
    private readonly List<(string Id, string ConversationId)> _posts = [];
    private readonly List<Escalation> _updates = [];
    private readonly List<(string Id, string Text, string? Mention)> _replies = [];

    public HashSet<string> Members { get; } = [];

    /// <summary>While true, every call throws as an unreachable connector would.</summary>
    public bool Down { get; set; }

    public IReadOnlyList<(string Id, string ConversationId)> Posts => Snapshot(_posts);

    public IReadOnlyList<Escalation> Updates => Snapshot(_updates);

    public IReadOnlyList<(string Id, string Text, string? Mention)> Replies => Snapshot(_replies);

    public bool Handles(string channelId) => channelId == "msteams";

    public Task<PostedCard> PostAsync(EscalationDestination channel, Escalation escalation, Person? buyer, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_lock)
        {
            _posts.Add((escalation.Id, channel.ConversationId));
            var activityId = _posts.Count.ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(new PostedCard("msteams", channel.ServiceUrl, $"{channel.ConversationId};messageid={activityId}", activityId, channel.TeamId));
        }
    }

    public Task UpdateAsync(Escalation escalation, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_lock)
        {
            _updates.Add(escalation);
        }

        return Task.CompletedTask;
    }

    public Task ReplyInThreadAsync(Escalation escalation, string text, Person? mention, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        lock (_lock)
        {
            _replies.Add((escalation.Id, text, mention?.Id));
        }

        return Task.CompletedTask;
    }

    public Task<bool> IsTeamMemberAsync(PostedCard card, Actor actor, CancellationToken cancellationToken) =>
        Task.FromResult(Members.Contains(actor.PersonId));

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new HttpRequestException("The Teams connector is unreachable.");
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}

/// <summary>People's 1:1 chats: records every text sent.</summary>
public sealed class RecordingGateway : IChannelGateway
{
    private readonly Lock _lock = new();
    private readonly List<(string PersonId, string Text)> _sent = [];

    public IReadOnlyList<(string PersonId, string Text)> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>Runs while a message is on its way: something another instance does at that moment.</summary>
    public Func<Task>? Meanwhile { get; set; }

    public bool CanReach(Person person) => person.Channel == "msteams";

    public async Task<IReadOnlyList<string?>> SendAsync(Person person, IReadOnlyList<Reply> replies, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _sent.AddRange(replies.OfType<TextReply>().Select(r => (person.Id, r.Text)));
        }

        if (Meanwhile is { } meanwhile)
        {
            await meanwhile();
        }

        return [.. replies.Select(_ => (string?)null)];
    }
}
