using System.Globalization;

namespace Kuberollouttrigger.Testing.Processes;

/// <summary>Waits for a started process to answer its readiness endpoint, and reads its memory from /proc.</summary>
public static class ReadyProbe
{
    public static async Task WaitAsync(Uri readyz, ChildProcess? process = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(readyz);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // Bounds only a failure: a process starting on a loaded machine JITs for many seconds.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (true)
        {
            if (process is { HasExited: true })
                throw new InvalidOperationException($"the process exited with {process.ExitCode}:\n{process.Output}");
            try
            {
                using var response = await client.GetAsync(readyz);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{readyz} never became ready:\n{process?.Output}");
            await Task.Delay(20);
        }
    }

    /// <summary>A size field of /proc/&lt;pid&gt;/status in MiB, e.g. VmRSS, VmHWM (peak), RssAnon, RssFile, RssShmem.</summary>
    public static double StatusMiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
