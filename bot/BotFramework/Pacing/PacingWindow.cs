namespace ProcurementBot.BotFramework.Pacing;

/// <summary>At most <see cref="Limit"/> calls in any span of <see cref="Length"/>.</summary>
internal readonly record struct PacingWindow(TimeSpan Length, int Limit);
