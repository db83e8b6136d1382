using Kuberollouttrigger.Common.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Host;

/// <summary>Reads a mode's settings, reports every configuration problem in one message, then runs the mode.</summary>
public static class ModeRunner
{
    public static async Task<int> RunAsync(string mode, IReadOnlyList<Setting> settings, string[] args, Func<IReadOnlyDictionary<string, string?>, WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        var read = SettingsReader.Read(settings, args, Environment.GetEnvironmentVariable);
        if (read.HelpRequested)
        {
            Console.WriteLine(SettingsReader.Usage(mode, settings));
            return 0;
        }
        if (!read.Succeeded)
        {
            await Console.Error.WriteLineAsync($"{mode}: invalid configuration:\n  " + string.Join("\n  ", read.Errors));
            return 1;
        }

        try
        {
            await using var app = build(read.Values);
            await app.RunAsync();
            return FailedServices(app) is { Count: > 0 } failed ? Fail(mode, failed) : 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"{mode}: invalid configuration:\n  " + string.Join("\n  ", e.Failures));
            return 1;
        }
        catch (InvalidSettingException e)
        {
            await Console.Error.WriteLineAsync($"{mode}: invalid configuration:\n  {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// The background services that ended with an exception: the host stops when one does, and the process must then
    /// exit non-zero so Kubernetes counts a failure instead of a clean stop.
    /// </summary>
    private static List<string> FailedServices(WebApplication app) =>
        app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(s => s.ExecuteTask is { IsFaulted: true })
            .Select(s => s.GetType().Name)
            .ToList();

    private static int Fail(string mode, List<string> failed)
    {
        Console.Error.WriteLine($"{mode}: stopped because {string.Join(", ", failed)} failed");
        return 2;
    }
}
