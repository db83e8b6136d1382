namespace Kuberollouttrigger.IntegrationTests;

public static class Wait
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails the test when <paramref name="timeout"/> passes first.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what);

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what ?? "the condition"}");
            await Task.Delay(25);
        }
    }
}
