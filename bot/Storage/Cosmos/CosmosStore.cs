using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;
using ProcurementBot.People;
using ProcurementBot.QuestionSets;
using static ProcurementBot.Storage.Cosmos.CosmosDocuments;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// The store on Azure Cosmos DB (NoSQL API), laid out as docs/cosmos.md describes: one container,
/// point operations and single-partition queries only, hints written before and removed after the
/// change they describe, and every read-modify-write conditional on the ETag it read.
/// </summary>
internal sealed partial class CosmosStore(
    CosmosClient client, IOptions<CosmosOptions> options, IOptions<StorageOptions> storage, TimeProvider clock, ILogger<CosmosStore> logger)
    : IProcurementStore
{
    private readonly CosmosOptions _options = options.Value;
    private readonly Lock _chargeLock = new();
    private Container? _container;
    private double _requestCharge;
    private int _requestCount;

    private Container Items => _container ?? throw new InvalidOperationException("The Cosmos store is used before InitializeAsync.");

    /// <summary>Request units charged to this store instance so far (every response's <c>x-ms-request-charge</c>).</summary>
    public double RequestCharge
    {
        get
        {
            lock (_chargeLock)
            {
                return _requestCharge;
            }
        }
    }

    /// <summary>How many requests this store instance has sent (each query page counts once).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _container = await CosmosSetup.EnsureContainerAsync(client, _options, cancellationToken);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var response = await TrackAsync(Items.ReadContainerStreamAsync(cancellationToken: cancellationToken));
        return response.IsSuccessStatusCode;
    }

    // People

    public async Task<Person?> GetPersonAsync(string personId, CancellationToken cancellationToken) =>
        (await ReadAsync(personId, Keys.Person(personId), cancellationToken))?.As<Person>();

    public async Task<Person?> FindPersonByAddressAsync(string address, CancellationToken cancellationToken) =>
        await FindPeopleAsync(address, firstOnly: true, cancellationToken) is [var first, ..] ? first : null;

    public Task<IReadOnlyList<Person>> FindPeopleByAddressAsync(string address, CancellationToken cancellationToken) =>
        FindPeopleAsync(address, firstOnly: false, cancellationToken);

    private async Task<IReadOnlyList<Person>> FindPeopleAsync(string address, bool firstOnly, CancellationToken cancellationToken)
    {
        var key = address.Trim().ToLowerInvariant();
        var index = (await ReadAsync(key, Keys.Address(key), cancellationToken))?.As<AddressIndex>();
        if (index is null)
        {
            return [];
        }

        // The address document is a hint: the person is the truth, and must still have the address.
        var stale = new List<string>();
        var found = new List<Person>();
        foreach (var entry in index.People.OrderByDescending(p => p.SeenAt).ThenBy(p => p.PersonId, StringComparer.Ordinal))
        {
            var person = await GetPersonAsync(entry.PersonId, cancellationToken);
            if (person is not null && person.Addresses().Contains(key, StringComparer.Ordinal))
            {
                found.Add(person);
                if (firstOnly)
                {
                    break;
                }

                continue;
            }

            stale.Add(entry.PersonId);
        }

        if (stale.Count > 0)
        {
            await RemoveAddressEntriesAsync(key, stale, cancellationToken);
        }

        return found;
    }

    public async Task UpsertPersonAsync(Person person, CancellationToken cancellationToken)
    {
        var before = await GetPersonAsync(person.Id, cancellationToken);
        var addresses = person.Addresses().ToList();

        // Addresses are added before the person is written and removed after, so a crash leaves an extra
        // address entry (checked against the person when read), never a person who cannot be found.
        foreach (var address in addresses)
        {
            await UpdateAsync<AddressIndex>(address, Keys.Address(address), Types.Address, index =>
            {
                var others = (index?.People ?? []).Where(p => p.PersonId != person.Id);
                var entry = new AddressEntry(person.Id, person.UpdatedAt);
                return index?.People.Contains(entry) == true ? null : new AddressIndex([.. others, entry]);
            }, cancellationToken);
        }

        await WriteAsync(Write.Upsert, person.Id, Keys.Person(person.Id), Types.Person, StoreJson.Serialize(person), cancellationToken);

        foreach (var gone in before?.Addresses().Except(addresses, StringComparer.Ordinal) ?? [])
        {
            await RemoveAddressEntriesAsync(gone, [person.Id], cancellationToken);
        }
    }

    private Task RemoveAddressEntriesAsync(string address, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken) =>
        UpdateAsync<AddressIndex>(address, Keys.Address(address), Types.Address, index =>
            index is null || !index.People.Any(p => personIds.Contains(p.PersonId))
                ? null
                : new AddressIndex([.. index.People.Where(p => !personIds.Contains(p.PersonId))]),
            cancellationToken);

    // Question sets

    public async Task<IReadOnlyList<QuestionSet>> GetCurrentQuestionSetsAsync(CancellationToken cancellationToken) =>
        [.. (await GetLatestQuestionSetsAsync(cancellationToken)).Where(l => !l.Archived).Select(l => l.Set)];

    public async Task<IReadOnlyList<QuestionSet>> GetArchivedQuestionSetsAsync(CancellationToken cancellationToken) =>
        [.. (await GetLatestQuestionSetsAsync(cancellationToken)).Where(l => l.Archived).Select(l => l.Set)];

    public async Task<IReadOnlyList<QuestionSet>> GetQuestionSetVersionsAsync(string id, CancellationToken cancellationToken)
    {
        var all = await QueryAsync(
            Keys.QuestionSets, "SELECT * FROM c WHERE c.pk = @pk AND c.type = @type AND STARTSWITH(c.id, @prefix)", cancellationToken,
            ("@type", Types.QuestionSet), ("@prefix", SafeId(id) + ":"));
        return [.. all.Select(d => d.As<QuestionSet>()).Where(s => s.Id == id).OrderBy(s => s.Version)];
    }

    public async Task<bool> ArchiveQuestionSetAsync(string id, CancellationToken cancellationToken)
    {
        var versions = await GetQuestionSetVersionsAsync(id, cancellationToken);
        if (versions.Count == 0)
        {
            return false;
        }

        var marker = StoreJson.Serialize(new ArchiveMarker(id, versions[^1].Version));
        await WriteAsync(Write.Upsert, id + ArchiveSuffix, Keys.QuestionSets, Types.QuestionSetArchive, marker, cancellationToken);
        return true;
    }

    /// <summary>
    /// The latest version of every set and whether it is archived, from one query of the question-set partition.
    /// It holds the versions and a marker per archived set, archived up to a version: a version added later is current again.
    /// </summary>
    private async Task<List<(QuestionSet Set, bool Archived)>> GetLatestQuestionSetsAsync(CancellationToken cancellationToken)
    {
        var all = await QueryAsync(Keys.QuestionSets, "SELECT * FROM c WHERE c.pk = @pk", cancellationToken);
        var markers = all.Where(IsArchiveMarker).Select(d => d.As<ArchiveMarker>()).ToDictionary(m => m.Id, m => m.UpTo, StringComparer.Ordinal);
        return
        [
            .. all.Where(d => !IsArchiveMarker(d))
                .Select(d => d.As<QuestionSet>())
                .GroupBy(s => s.Id, StringComparer.Ordinal)
                .Select(g => g.MaxBy(s => s.Version)!)
                .OrderBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => (s, markers.TryGetValue(s.Id, out var upTo) && s.Version <= upTo)),
        ];
    }

    // Set ids are letters, digits, '-' and '_' and version ids end in a number, so only a marker's id ends so.
    private const string ArchiveSuffix = ":archived";

    private static bool IsArchiveMarker(Found document) => document.Id.EndsWith(ArchiveSuffix, StringComparison.Ordinal);

    private sealed record ArchiveMarker(string Id, int UpTo);

    public async Task<QuestionSet?> GetQuestionSetAsync(string id, int version, CancellationToken cancellationToken) =>
        (await ReadAsync(QuestionSetId(id, version), Keys.QuestionSets, cancellationToken))?.As<QuestionSet>();

    public async Task<bool> AddQuestionSetVersionAsync(QuestionSet set, CancellationToken cancellationToken) =>
        await WriteAsync(Write.Create, QuestionSetId(set.Id, set.Version), Keys.QuestionSets, Types.QuestionSet, StoreJson.Serialize(set), cancellationToken) is not null;

    private static string QuestionSetId(string id, int version) => string.Create(CultureInfo.InvariantCulture, $"{id}:{version}");

    // Requests: every response passes TrackAsync, which counts its charge and logs it when slow or throttled.

    private enum Write
    {
        Create,
        Replace,
        Upsert,
    }

    /// <summary>A stored document: its <c>doc</c> JSON and ETag.</summary>
    private sealed record Stored(string Json, string ETag)
    {
        public T As<T>() => StoreJson.Deserialize<T>(Json);
    }

    private async Task<Stored?> ReadAsync(string id, string pk, CancellationToken cancellationToken)
    {
        using var response = await TrackAsync(Items.ReadItemStreamAsync(SafeId(id), new PartitionKey(pk), cancellationToken: cancellationToken));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
        return new Stored(DocJson(json.RootElement), response.Headers.ETag);
    }

    /// <summary>
    /// Writes an envelope; returns the new ETag, or null when the write lost: the id exists (create),
    /// the document changed or is gone (replace with <paramref name="ifMatch"/>).
    /// </summary>
    private async Task<string?> WriteAsync(
        Write kind, string id, string pk, string type, string docJson, CancellationToken cancellationToken,
        string? ifMatch = null, bool inlineDoc = false, int? ttl = null)
    {
        using var body = Envelope(id, pk, type, docJson, inlineDoc, ttl);
        var requestOptions = new ItemRequestOptions { IfMatchEtag = ifMatch, EnableContentResponseOnWrite = false };
        var partitionKey = new PartitionKey(pk);
        using var response = await TrackAsync(kind switch
        {
            Write.Create => Items.CreateItemStreamAsync(body, partitionKey, requestOptions, cancellationToken),
            Write.Replace => Items.ReplaceItemStreamAsync(body, SafeId(id), partitionKey, requestOptions, cancellationToken),
            _ => Items.UpsertItemStreamAsync(body, partitionKey, requestOptions, cancellationToken),
        });
        // A create loses only to the id existing (409); a 404 there is a missing container or database, an error.
        if (kind == Write.Create ? response.StatusCode == HttpStatusCode.Conflict
            : response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return response.Headers.ETag;
    }

    private Task<string?> WriteHintAsync<T>(Write kind, string id, string pk, string type, T hint, CancellationToken cancellationToken, string? ifMatch = null) =>
        WriteAsync(kind, id, pk, type, StoreJson.Serialize(hint), cancellationToken, ifMatch, inlineDoc: true);

    /// <summary>Deletes a document (only if unchanged, given <paramref name="ifMatch"/>); false if it was gone or changed.</summary>
    private async Task<bool> DeleteAsync(string id, string pk, CancellationToken cancellationToken, string? ifMatch = null)
    {
        using var response = await TrackAsync(Items.DeleteItemStreamAsync(
            SafeId(id), new PartitionKey(pk), new ItemRequestOptions { IfMatchEtag = ifMatch }, cancellationToken));
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>
    /// Read-modify-write of a small hint document with its ETag, again on a conflict. <paramref name="change"/>
    /// gets the current value (null if there is none) and returns the new one, or null to leave it as it is.
    /// </summary>
    private async Task UpdateAsync<T>(string id, string pk, string type, Func<T?, T?> change, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var stored = await ReadAsync(id, pk, cancellationToken);
            var next = change(stored?.As<T>());
            if (next is null)
            {
                return;
            }

            var written = stored is null
                ? await WriteHintAsync(Write.Create, id, pk, type, next, cancellationToken)
                : await WriteHintAsync(Write.Replace, id, pk, type, next, cancellationToken, stored.ETag);
            if (written is not null)
            {
                return;
            }
        }
    }

    /// <summary>A document of a query result: the envelope's id, its doc and ETag.</summary>
    private sealed record Found(string Id, string Json, string ETag)
    {
        public T As<T>() => StoreJson.Deserialize<T>(Json);
    }

    /// <summary>A query within one partition (the key is also in the SQL as <c>@pk</c>: the emulator ignores the header), all pages.</summary>
    private async Task<List<Found>> QueryAsync(string pk, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        [.. (await QueryElementsAsync(pk, sql, cancellationToken, parameters))
            .Select(item => new Found(item.GetProperty("id").GetString()!, DocJson(item), item.GetProperty("_etag").GetString()!))];

    /// <summary>Like <see cref="QueryAsync"/>, for any result shape (a projection, a <c>VALUE</c>): each result as JSON.</summary>
    private async Task<List<JsonElement>> QueryElementsAsync(string pk, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        var query = new QueryDefinition(sql).WithParameter("@pk", pk);
        foreach (var (name, value) in parameters)
        {
            query = query.WithParameter(name, value);
        }

        var result = new List<JsonElement>();
        using var iterator = Items.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(pk), MaxItemCount = 500 });
        while (iterator.HasMoreResults)
        {
            using var response = await TrackAsync(iterator.ReadNextAsync(cancellationToken));
            response.EnsureSuccessStatusCode();
            using var json = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken);
            result.AddRange(json.RootElement.GetProperty("Documents").EnumerateArray().Select(item => item.Clone()));
        }

        return result;
    }

    /// <summary>
    /// Counts the response's request charge. Slow and throttled requests are logged by
    /// <see cref="CosmosDiagnosticsHandler"/> in the client's pipeline.
    /// </summary>
    private async Task<ResponseMessage> TrackAsync(Task<ResponseMessage> request)
    {
        var response = await request;
        var charge = response.Headers.RequestCharge;
        lock (_chargeLock)
        {
            _requestCharge += charge;
        }

        Interlocked.Increment(ref _requestCount);
        return response;
    }

    /// <summary>Seconds a closed document lives when <c>Storage:RetentionDays</c> is set; null keeps it.</summary>
    private int? RetentionTtl() => storage.Value.RetentionDays is { } days and > 0 ? days * 86400 : null;

    public override string ToString() => $"Cosmos DB ({_options.Database}/{_options.Container})";
}
