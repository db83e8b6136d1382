namespace Kuberollouttrigger.Transport.Streams;

/// <summary>
/// Tells a message the consumer refused (invalid: retrying it cannot help) from a failure a later delivery may fix.
/// A refused entry goes to the dead-letter stream and is acknowledged at once; a failed one stays pending.
/// A body that cannot be deserialized into the message type is always refused: no later delivery reads it differently.
/// The consumer side registers its own rule on top; by default nothing else counts as refused.
/// </summary>
public sealed class MessageRefusal(Func<Exception, bool> isRefusal)
{
    public static MessageRefusal None { get; } = new(_ => false);

    public bool IsRefusal(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsUndecodable(e) || isRefusal(e))
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsRefusal))
                return true;
        }
        return false;
    }

    private static bool IsUndecodable(Exception e) => e is System.Text.Json.JsonException;
}
