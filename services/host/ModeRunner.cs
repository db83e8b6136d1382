using System.Text.RegularExpressions;
using Kuberollouttrigger.Common.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Host;

/// <summary>
/// Reads a mode's settings, reports every configuration problem in one message (one line each, naming the setting,
/// and exit code 1, never a stack trace), then runs the mode.
/// </summary>
public static partial class ModeRunner
{
    public static async Task<int> RunAsync(string mode, IReadOnlyList<Setting> settings, Setting listenAddress, string[] args,
        Func<IReadOnlyDictionary<string, string?>, WebApplication> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(listenAddress);
        var read = SettingsReader.Read(settings, args, Environment.GetEnvironmentVariable);
        if (read.HelpRequested)
        {
            Console.WriteLine(SettingsReader.Usage(mode, settings));
            return 0;
        }
        if (!read.Succeeded)
            return await InvalidAsync(mode, read.Errors);

        try
        {
            await using var app = build(read.Values);
            await app.RunAsync();
            return FailedServices(app) is { Count: > 0 } failed ? Fail(mode, failed) : 0;
        }
        catch (OptionsValidationException e)
        {
            return await InvalidAsync(mode, e.Failures.Select(Plain));
        }
        catch (InvalidSettingException e)
        {
            return await InvalidAsync(mode, [e.Message]);
        }
        catch (Exception e) when (BindFailure(e) is { } why)
        {
            var address = read.Values.GetValueOrDefault(listenAddress.ConfigKey) ?? listenAddress.Default;
            return await InvalidAsync(mode, [$"{listenAddress.Names}: cannot listen on '{address}': {why}"]);
        }
    }

    /// <summary>Why Kestrel could not bind its address (it throws an IOException around the cause), or null for any other failure.</summary>
    private static string? BindFailure(Exception e) => e switch
    {
        AddressInUseException or { InnerException: AddressInUseException } => "the address is already in use by another process; choose another address or stop that process",
        IOException { InnerException: System.Net.Sockets.SocketException socket } => socket.Message,
        _ => null,
    };

    private static async Task<int> InvalidAsync(string mode, IEnumerable<string> problems)
    {
        await Console.Error.WriteLineAsync($"{mode}: invalid configuration:\n  " + string.Join("\n  ", problems));
        return 1;
    }

    /// <summary>A data annotation failure without the option class's name: only the message, which names the setting.</summary>
    private static string Plain(string failure)
    {
        var match = DataAnnotationFailure().Match(failure);
        return match.Success ? match.Groups["error"].Value : failure;
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

    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<error>.*)'\\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
