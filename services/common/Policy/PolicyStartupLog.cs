using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Common.Policy;

/// <summary>Says once at start which policy decides (its file and rule count, never its contents).</summary>
public sealed partial class PolicyStartupLog(RequestPolicy policy, IOptions<PolicyOptions> options, ILogger<PolicyStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (policy.IsConfigured)
            LogPolicy(logger, options.Value.File ?? "", policy.RuleCount);
        else
            LogNoPolicy(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Authorization policy: {RuleCount} rule(s) from {File}")]
    private static partial void LogPolicy(ILogger logger, string file, int ruleCount);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Authorization policy: none (POLICY_FILE not set): any repository of the org may trigger any image under the prefix")]
    private static partial void LogNoPolicy(ILogger logger);
}
