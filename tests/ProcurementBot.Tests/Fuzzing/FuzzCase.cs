namespace ProcurementBot.Tests.Fuzzing;

/// <summary>One malformed request body: what was done to it (for the failure message), its bytes and its content type.</summary>
public sealed record FuzzCase(string What, byte[] Body, string? ContentType);
