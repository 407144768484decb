using System.Buffers;
using System.Text;
using System.Text.Json;
using ProcurementBot.CheckIns;

namespace ProcurementBot.Storage.Cosmos;

/// <summary>
/// The envelope every document shares, <c>{ id, pk, type, ttl?, doc }</c>, and the partition keys of
/// docs/cosmos.md. An entity's <c>doc</c> is its <see cref="StoreJson"/> text, kept as a JSON string so it
/// comes back byte for byte as the SQLite store keeps it (Cosmos DB would turn <c>1499.50</c> into
/// <c>1499.5</c>); hint documents keep <c>doc</c> as an object, because their fields are queried.
/// </summary>
internal static class CosmosDocuments
{
    public const int ScheduleShards = 8;

    private static readonly SearchValues<char> Escaped = SearchValues.Create("/\\?#%~");

    public static class Types
    {
        public const string Person = "person";
        public const string Address = "address";
        public const string QuestionSet = "questionSet";
        public const string QuestionSetArchive = "questionSetArchive";
        public const string CheckIn = "checkIn";
        public const string Requester = "requester";
        public const string Due = "due";
        public const string Finish = "finish";
        public const string Escalation = "escalation";
        public const string EscalationDue = "escalationDue";
        public const string Awaiting = "awaiting";
        public const string Channel = "channel";
        public const string Supplier = "supplier";
        public const string Rollup = "rollup";
        public const string Audit = "audit";
        public const string Response = "response";
        public const string Failed = "failed";
        public const string Instance = "instance";
        public const string SlackItem = "slackItem";
    }

    public static class Keys
    {
        public const string QuestionSets = "questionsets";
        public const string Channels = "channels";
        public const string Escalations = "escalations";
        public const string AwaitingId = "awaiting";
        public const string Due = "due";
        public const string Finish = "finish";
        public const string EscalationDue = "escdue";
        public const string Failed = "failed";
        public const string Instances = "instances";
        public const string SlackInbox = "slackinbox";

        public static string Person(string id) => $"person:{id}";

        public static string Address(string address) => $"address:{address}";

        public static string CheckIn(string id) => $"checkin:{id}";

        public static string Requester(string key) => $"requester:{key}";

        public static string Escalation(string id) => $"escalation:{id}";

        public static string Supplier(string key) => $"supplier:{key}";

        /// <summary>The partition of one month's rollups (<paramref name="month"/> as <c>yyyy-MM</c>, the end of a rollup's key).</summary>
        public static string Rollups(string month) => $"rollups:{month}";

        /// <summary>The audit log's month (UTC) holding entries made at <paramref name="at"/>.</summary>
        public static string Audit(DateTimeOffset at) => $"audit:{at.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)}";

        /// <summary>The response index's month (UTC) holding responses completed at <paramref name="at"/>.</summary>
        public static string Responses(DateTimeOffset at) => $"responses:{at.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)}";

        public static string Channel(string category) => $"channel:{category.Trim().ToLowerInvariant()}";

        /// <summary>The schedule partition of an entity: a stable hash of its id, so every instance agrees.</summary>
        public static string Shard(string schedule, string entityId) => $"{schedule}:{Fnv1a(entityId) % ScheduleShards}";
    }

    /// <summary>
    /// A Cosmos DB id may not contain <c>/ \ ? #</c>, and one containing <c>%</c> cannot be read or replaced
    /// by point operations (the gateway decodes it again); those five (and the escape <c>~</c> itself) are
    /// written as <c>~XX</c>, everything else is kept so ids stay readable in the portal.
    /// </summary>
    public static string SafeId(string id)
    {
        if (id.AsSpan().IndexOfAny(Escaped) < 0)
        {
            return id;
        }

        var builder = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            _ = c is '/' or '\\' or '?' or '#' or '%' or '~' ? builder.Append('~').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)) : builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The envelope as UTF-8 JSON; <paramref name="docJson"/> is written as a string (entities) or inline (hints).</summary>
    public static MemoryStream Envelope(string id, string pk, string type, string docJson, bool inlineDoc, int? ttl)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("id", SafeId(id));
            writer.WriteString("pk", pk);
            writer.WriteString("type", type);
            if (ttl is { } seconds)
            {
                writer.WriteNumber("ttl", seconds);
            }

            if (inlineDoc)
            {
                writer.WritePropertyName("doc");
                writer.WriteRawValue(docJson, skipInputValidation: true);
            }
            else
            {
                writer.WriteString("doc", docJson);
            }

            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }

    /// <summary>The <c>doc</c> of a stored envelope as JSON text, whichever way it was written.</summary>
    public static string DocJson(JsonElement envelope) =>
        envelope.GetProperty("doc") is { ValueKind: JsonValueKind.String } text ? text.GetString()! : envelope.GetProperty("doc").GetRawText();

    public static bool IsClosed(CheckInStatus status) =>
        status is CheckInStatus.Completed or CheckInStatus.Stopped or CheckInStatus.Expired or CheckInStatus.Failed or CheckInStatus.OptedOut;

    /// <summary>
    /// How the requester index records a status: <see cref="CheckInStatus.Sending"/> is a short lease on a
    /// scheduled check-in, so the index calls both Scheduled and a claim never rewrites it.
    /// </summary>
    public static CheckInStatus Indexed(CheckInStatus status) => status == CheckInStatus.Sending ? CheckInStatus.Scheduled : status;

    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
