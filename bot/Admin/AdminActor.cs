namespace ProcurementBot.Admin;

/// <summary>Who made an admin request, as the audit log records it.</summary>
public sealed record AdminActor(string Id, string Name);
