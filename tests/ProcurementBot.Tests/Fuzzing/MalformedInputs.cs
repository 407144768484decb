using System.Globalization;

namespace ProcurementBot.Tests.Fuzzing;

/// <summary>
/// A seeded generator of malformed input made from a valid example: the same seed gives the same cases in the same
/// order, so a failure is replayed by setting <see cref="FuzzSeed.Variable"/>. Each case is the example with one to
/// three mutations: truncation, byte flips, a wrong type for a field, lone surrogates, deep nesting, huge numbers,
/// dates at the calendar's edges, duplicate keys, empty or absent fields, odd strings, wrong content types, oversized.
/// </summary>
public sealed class MalformedInputs(int seed)
{
    private const string DuplicateMarker = "__fuzz_duplicate__";

    private static readonly string[] EdgeDates =
    [
        "0001-01-01", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31", "9999-12-31T23:59:59.9999999Z",
        "9999-12-31T23:59:59-14:00", "9999-12", "0000-00-00", "2026-02-30", "2026-13-01", "-0001-01-01", "10000-01-01",
        "1970-01-01T00:00:00Z", "2026-03-29T02:30:00+01:00", "99999999999999", "T", "",
    ];

    private static readonly string[] HugeNumbers =
    [
        "1e400", "-1e400", "123456789012345678901234567890123456789", "-9223372036854775809", "18446744073709551616",
        "1.7976931348623157e309", "0.000000000000000000000000000000000000000000001", "-0", "1E+2147483648", "79228162514264337593543950336",
    ];

    private static readonly string[] LoneSurrogates = ["\\ud800", "a\\udfff", "\\ud83d", "\\udc00\\ud800", "x\\ud800y", "\\uDBFF"];

    private static readonly string[] OddStrings =
    [
        "\u0000", "\u202E\u0645\u0631\u062D\u0628\u0627", "😀👍🏽", "../../etc/passwd", "<script>alert(1)</script>", "=HYPERLINK(\"x\")",
        "' OR 1=1 --", " ", "\t\r\n", "Europe/Berlin\u0000", "..", "%00", "{\"not\":\"an object\"}", "null", "true",
        "Etc/GMT+99", "posixrules", "Factory", "right/UTC", "America/", "Local", new string('x', 5000),
    ];

    private static readonly string?[] WrongContentTypes =
    [
        null, "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "application/octet-stream", "text/csv", "application/json;;;", "garbage", "*/*",
        "application/json; charset=\"", "text/html; charset=utf-8",
    ];

    private readonly Random _random = new(seed);

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>
    /// The example with one to three mutations. <paramref name="keep"/> names fields whose string value must stay as it
    /// is (a serviceUrl: the bot calls it); they may still get a wrong type or go missing, and byte flips avoid them.
    /// Oversized cases are <paramref name="maxBytes"/> + 1 long.
    /// </summary>
    public FuzzCase Json(JsonNode example, string contentType, long maxBytes, IReadOnlySet<string>? keep = null)
    {
        keep ??= new HashSet<string>();
        var node = example.DeepClone();
        var what = new List<string>();
        var textMutations = new List<Func<string, string>>();
        string? mediaType = contentType;
        var count = 1 + _random.Next(3);
        var flips = 0;
        for (var i = 0; i < count; i++)
        {
            switch (_random.Next(13))
            {
                case 0:
                    textMutations.Add(text => Truncate(text, what));
                    break;
                case 1:
                    flips++;
                    break;
                case 2 or 3:
                    ReplaceField(node, keep, what, "wrong type", WrongType);
                    break;
                case 4:
                    // A JSON writer escapes a backslash, so the escape is put in as a marker replaced in the text.
                    var surrogate = Pick(LoneSurrogates);
                    if (ReplaceField(node, keep, what, "lone surrogate " + surrogate, () => JsonValue.Create("__surrogate__")))
                    {
                        textMutations.Add(text => text.Replace("__surrogate__", surrogate, StringComparison.Ordinal));
                    }

                    break;
                case 5:
                    var depth = Pick([65, 200, 1000]);
                    ReplaceField(node, keep, what, $"nesting {depth} deep", () => JsonValue.Create("__deep__"));
                    textMutations.Add(text => text.Replace("\"__deep__\"", Nesting(depth), StringComparison.Ordinal));
                    break;
                case 6:
                    var number = Pick(HugeNumbers);
                    ReplaceField(node, keep, what, "huge number " + number, () => JsonValue.Create("__number__"));
                    textMutations.Add(text => text.Replace("\"__number__\"", number, StringComparison.Ordinal));
                    break;
                case 7:
                    var date = Pick(EdgeDates);
                    ReplaceField(node, keep, what, "edge date " + date, () => JsonValue.Create(date));
                    break;
                case 8:
                    DuplicateKey(node, keep, what, textMutations);
                    break;
                case 9:
                    EmptyOrAbsent(node, what);
                    break;
                case 10:
                    var odd = Pick(OddStrings);
                    ReplaceField(node, keep, what, $"odd string ({odd.Length} chars)", () => JsonValue.Create(odd));
                    break;
                case 11:
                    mediaType = Pick(WrongContentTypes);
                    what.Add($"content type {mediaType ?? "(none)"}");
                    break;
                default:
                    if (_random.Next(4) == 0)
                    {
                        what.Add($"oversized ({maxBytes + 1} bytes)");
                        textMutations.Add(text => text + new string(' ', (int)Math.Max(0, maxBytes + 1 - Encoding.UTF8.GetByteCount(text))));
                    }
                    else
                    {
                        ReplaceField(node, keep, what, "wrong type", WrongType);
                    }

                    break;
            }
        }

        var body = node?.ToJsonString() ?? "null";
        foreach (var mutate in textMutations)
        {
            body = mutate(body);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        if (flips > 0)
        {
            // Last, on the bytes: a flipped byte is often not UTF-8 any more, and is sent as it is.
            FlipBytes(bytes, body, example, keep, what);
        }

        return new FuzzCase(string.Join("; ", what), bytes, mediaType);
    }

    /// <summary>A text value (a query parameter, a CSV cell) malformed: edge dates, huge numbers, odd strings, or cut.</summary>
    public string Text(string example) => _random.Next(6) switch
    {
        0 => Pick(EdgeDates),
        1 => Pick(HugeNumbers),
        2 => Pick(OddStrings),
        3 => example[..Math.Min(example.Length, _random.Next(example.Length + 1))],
        4 => example + Pick(OddStrings),
        _ => new string(example.Select(c => _random.Next(4) == 0 ? (char)_random.Next(32, 127) : c).ToArray()),
    };

    /// <summary>Random bytes, or a text of random printable characters.</summary>
    public byte[] Junk(int maxLength)
    {
        var bytes = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(bytes);
        if (_random.Next(2) == 0)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(32 + bytes[i] % 95);
            }
        }

        return bytes;
    }

    private JsonNode WrongType() => _random.Next(9) switch
    {
        0 => JsonValue.Create(_random.Next(-1000, 1000)),
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => new JsonArray(JsonValue.Create("a"), JsonValue.Create(1)),
        3 => new JsonObject { ["id"] = 1, ["type"] = new JsonArray() },
        4 => JsonValue.Create(""),
        5 => JsonValue.Create(3.5),
        6 => new JsonArray(),
        7 => new JsonObject(),
        _ => JsonValue.Create("text where something else belongs"),
    };

    /// <summary>Replaces a random field (at any depth, not one in <paramref name="keep"/>) with a new value; false when there is none.</summary>
    private bool ReplaceField(JsonNode? node, IReadOnlySet<string> keep, List<string> what, string how, Func<JsonNode?> value)
    {
        var slots = Slots(node, "$").Where(s => s.Name is null || !keep.Contains(s.Name) || how == "wrong type").ToList();
        if (slots.Count == 0)
        {
            return false;
        }

        var slot = Pick(slots);
        var replacement = value();
        if (slot.Name is not null && keep.Contains(slot.Name) && replacement is JsonValue v && v.TryGetValue<string>(out _))
        {
            // A kept field gets a wrong type, never another string.
            replacement = JsonValue.Create(42);
        }

        slot.Set(replacement);
        what.Add($"{how} at {slot.Path}");
        return true;
    }

    private void DuplicateKey(JsonNode? node, IReadOnlySet<string> keep, List<string> what, List<Func<string, string>> textMutations)
    {
        var objects = Objects(node, "$").Where(o => o.Json.Count > 0).ToList();
        if (objects.Count == 0)
        {
            return;
        }

        var (json, path) = Pick(objects);
        var (name, original) = json.ElementAt(_random.Next(json.Count));
        // The same key again, with another value (its own value again for a kept field), written where the marker is.
        var second = keep.Contains(name) ? original?.ToJsonString() ?? "null" : WrongType().ToJsonString();
        json[DuplicateMarker] = 0;
        var key = JsonValue.Create(name).ToJsonString();
        textMutations.Add(text => text.Replace($"\"{DuplicateMarker}\":0", $"{key}:{second}", StringComparison.Ordinal));
        what.Add($"duplicate key {name} at {path}");
    }

    private void EmptyOrAbsent(JsonNode? node, List<string> what)
    {
        var objects = Objects(node, "$").Where(o => o.Json.Count > 0).ToList();
        if (objects.Count == 0)
        {
            return;
        }

        var (json, path) = Pick(objects);
        var name = json.ElementAt(_random.Next(json.Count)).Key;
        switch (_random.Next(3))
        {
            case 0:
                json.Remove(name);
                what.Add($"absent {path}.{name}");
                break;
            case 1:
                json[name] = "";
                what.Add($"empty {path}.{name}");
                break;
            default:
                json[name] = null;
                what.Add($"null {path}.{name}");
                break;
        }
    }

    private string Truncate(string text, List<string> what)
    {
        var at = _random.Next(text.Length);
        what.Add($"truncated at {at}");
        return text[..at];
    }

    private void FlipBytes(byte[] bytes, string text, JsonNode example, IReadOnlySet<string> keep, List<string> what)
    {
        // Spans are found in the text; the bytes of a kept value are ASCII (URLs), so text and byte offsets agree up to the
        // first non-ASCII character, and kept spans after one are skipped wholesale.
        var asciiPrefix = text.TakeWhile(c => c < 128).Count();
        var kept = KeptSpans(text, example, keep);
        var flips = 1 + _random.Next(3);
        for (var i = 0; i < flips && bytes.Length > 0; i++)
        {
            var at = _random.Next(bytes.Length);
            if (kept.Count > 0 && (at >= asciiPrefix || kept.Any(s => at >= s.Start && at < s.End)))
            {
                continue;
            }

            bytes[at] ^= (byte)(1 << _random.Next(8));
            what.Add($"byte {at} flipped");
        }
    }

    private static List<(int Start, int End)> KeptSpans(string text, JsonNode example, IReadOnlySet<string> keep)
    {
        var spans = new List<(int, int)>();
        foreach (var value in Objects(example, "$").SelectMany(o => o.Json).Where(p => keep.Contains(p.Key) && p.Value is JsonValue).Select(p => p.Value!.ToJsonString()))
        {
            for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
            {
                spans.Add((at, at + value.Length));
            }
        }

        return spans;
    }

    private static string Nesting(int depth) => _nestings.GetOrAdd(depth, d => new string('[', d) + new string(']', d));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _nestings = new();

    private sealed record Slot(string Path, string? Name, Action<JsonNode?> Set);

    private static IEnumerable<Slot> Slots(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject json:
                foreach (var (name, value) in json.ToList())
                {
                    yield return new Slot($"{path}.{name}", name, v => json[name] = v);
                    foreach (var inner in Slots(value, $"{path}.{name}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var index = i;
                    yield return new Slot(string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), null, v => array[index] = v);
                    foreach (var inner in Slots(array[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static IEnumerable<(JsonObject Json, string Path)> Objects(JsonNode? node, string path)
    {
        if (node is JsonObject json)
        {
            yield return (json, path);
            foreach (var (name, value) in json)
            {
                foreach (var inner in Objects(value, $"{path}.{name}"))
                {
                    yield return inner;
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var inner in Objects(array[i], $"{path}[{i}]"))
                {
                    yield return inner;
                }
            }
        }
    }
}
