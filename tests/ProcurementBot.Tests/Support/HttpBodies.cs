namespace ProcurementBot.Tests.Support;

/// <summary>Raw request bodies and ProblemDetails answers, for tests of what the HTTP edge refuses.</summary>
public static class HttpBodies
{
    public static HttpContent Text(string body, string? mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (mediaType is not null)
        {
            content.Headers.ContentType = new(mediaType) { CharSet = "utf-8" };
        }

        return content;
    }

    /// <summary>Valid JSON followed by whitespace, <paramref name="totalBytes"/> long: only its size is wrong.</summary>
    public static byte[] Padded(JsonNode json, long totalBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
        var padded = new byte[totalBytes];
        bytes.CopyTo(padded, 0);
        padded.AsSpan(bytes.Length).Fill((byte)' ');
        return padded;
    }

    /// <summary>The body with a Content-Length, or without one (chunked) so the server learns its size only by reading.</summary>
    public static HttpContent Sized(byte[] body, string mediaType, bool announceLength)
    {
        HttpContent content = announceLength ? new ByteArrayContent(body) : new UnsizedContent(body);
        content.Headers.ContentType = new(mediaType);
        return content;
    }

    public static async Task<HttpResponseMessage> PostAsync(this BotApp app, string path, HttpContent content, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await app.CreateClient().SendAsync(request);
    }

    /// <summary>Asserts the status and a ProblemDetails body, and returns the body.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        return problem;
    }

    /// <summary>A second bot on its own database, for tests that change what the shared fixture relies on.</summary>
    public static async Task WithFreshAppAsync(Func<BotApp, Task> test)
    {
        var app = new BotApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            await test(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private sealed class UnsizedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
