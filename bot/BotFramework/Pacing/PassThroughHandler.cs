namespace ProcurementBot.BotFramework.Pacing;

/// <summary>The connector pipeline's place for pacing when pacing is off.</summary>
internal sealed class PassThroughHandler : DelegatingHandler;
