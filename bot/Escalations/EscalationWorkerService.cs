using Microsoft.Extensions.Options;
using ProcurementBot.Hosting;

namespace ProcurementBot.Escalations;

/// <summary>Runs the worker on every instance, every <see cref="EscalationOptions.PollInterval"/>.</summary>
internal sealed class EscalationWorkerService(EscalationWorker worker, IOptions<EscalationOptions> options, TimeProvider clock, ILogger<EscalationWorkerService> logger)
    : PollingService(clock, logger)
{
    protected override bool Enabled => options.Value.WorkerEnabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override int BatchSize => options.Value.BatchSize;

    protected override Task<int> RunOnceAsync(CancellationToken cancellationToken) => worker.ProcessDueAsync(cancellationToken);
}
