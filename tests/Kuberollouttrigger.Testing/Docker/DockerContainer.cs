namespace Kuberollouttrigger.Testing.Docker;

/// <summary>A detached container, removed (with its anonymous volumes) when disposed or when the test run exits.</summary>
public sealed class DockerContainer : IAsyncDisposable
{
    private int _removed;

    private DockerContainer(string id, string name)
    {
        Id = id;
        Name = name;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary><c>docker run -d --name NAME ARGS...</c>; <paramref name="arguments"/> are the run options, the image and its arguments.</summary>
    public static async Task<DockerContainer> RunAsync(string name, IEnumerable<string> arguments)
    {
        var (_, output) = await DockerCli.RunAsync(["run", "-d", "--name", name, .. arguments], TimeSpan.FromMinutes(2));
        return new DockerContainer(output.Trim().Split('\n')[^1], name);
    }

    /// <summary>A name unique to this run, for containers and networks of tests that may run side by side on one machine.</summary>
    public static string UniqueName(string purpose) => $"krt-test-{purpose}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task<string> LogsAsync() => (await DockerCli.RunAsync(["logs", Id], TimeSpan.FromSeconds(30), check: false)).Output;

    public async Task<bool> IsRunningAsync() =>
        (await DockerCli.RunAsync(["inspect", "-f", "{{.State.Running}}", Id], TimeSpan.FromSeconds(30), check: false)).Output.Trim() == "true";

    /// <summary>docker inspect with a Go template, e.g. <c>{{.State.Pid}}</c>.</summary>
    public async Task<string> InspectAsync(string format) =>
        (await DockerCli.RunAsync(["inspect", "-f", format, Id], TimeSpan.FromSeconds(30))).Output.Trim();

    /// <summary>The host port (on 127.0.0.1) that a published container port was given.</summary>
    public async Task<int> HostPortAsync(int containerPort)
    {
        var (_, output) = await DockerCli.RunAsync(["port", Id, $"{containerPort}/tcp"], TimeSpan.FromSeconds(30));
        return int.Parse(output.Trim().Split('\n')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        if (Interlocked.Exchange(ref _removed, 1) == 0)
            await DockerCli.RunAsync(["rm", "-f", "-v", Id], TimeSpan.FromMinutes(1), check: false);
    }

    private void OnExit(object? sender, EventArgs e)
    {
        if (Interlocked.Exchange(ref _removed, 1) == 0)
            DockerCli.RunAsync(["rm", "-f", "-v", Id], TimeSpan.FromSeconds(30), check: false).GetAwaiter().GetResult();
    }
}
