using Kuberollouttrigger.Testing.Docker;

namespace Kuberollouttrigger.Delivery.Tests.Tools;

/// <summary>Waits on a container's readiness endpoint or on a condition, and shows the container's log when it never comes.</summary>
public static class ContainerProbe
{
    public static async Task WaitReadyAsync(Uri readyz, DockerContainer container, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await client.GetAsync(readyz);
                return response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, container, $"{readyz} to answer 200", timeout ?? TimeSpan.FromSeconds(60));
    }

    public static Task WaitUntilAsync(Func<bool> condition, DockerContainer container, string what, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), container, what, timeout);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, DockerContainer container, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(container);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline || !await container.IsRunningAsync())
                throw new TimeoutException($"waited in vain for {what}; log of {container.Name}:\n{await container.LogsAsync()}");
            await Task.Delay(100);
        }
    }
}
