namespace ProcurementBot.Escalations;

public sealed record RegistrationResult(bool Registered, int Released);
