using System.Diagnostics;

namespace Kuberollouttrigger.Testing.Processes;

/// <summary>Runs a command to its end (no input, output captured, never inherited) and returns its exit code and output.</summary>
public static class CommandLine
{
    /// <summary>Runs <paramref name="info"/>; stdout then stderr. Throws with the output when it fails and <paramref name="check"/> is set.</summary>
    public static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo info, TimeSpan timeout, bool check = false)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true;
        info.UseShellExecute = false;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}");
        }
        var output = await stdout + await stderr;
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} exited with {process.ExitCode}:\n{output}");
        return (process.ExitCode, output);
    }

    /// <summary>A start info for <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ProcessStartInfo For(string fileName, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var info = new ProcessStartInfo(fileName);
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return info;
    }
}
