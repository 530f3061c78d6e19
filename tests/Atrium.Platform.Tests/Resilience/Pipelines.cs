using Atrium.Platform.Messaging;
using Atrium.Platform.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Atrium.Platform.Tests.Resilience;

/// <summary>The node's dependency pipelines, built as DI builds them, on a given clock.</summary>
internal static class Pipelines
{
    public static DependencyPipelines Create(TimeProvider time, out ResilienceMetrics metrics)
    {
        metrics = new ResilienceMetrics(new TestMeterFactory());
        return new DependencyPipelines(metrics, time, Options.Create(new RabbitMqOptions()), NullLogger<DependencyPipelines>.Instance);
    }
}
