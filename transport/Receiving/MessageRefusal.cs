namespace Kuberollouttrigger.Transport.Receiving;

/// <summary>
/// Tells a message the consumer refused (invalid: retrying it cannot help) from a failure a later delivery may fix.
/// A body that cannot be deserialized into the message type is always refused: no later delivery reads it differently.
/// The application's rule (<see cref="ReceiveEndpointDefinition.IsRefusal"/>) comes on top.
/// </summary>
public static class MessageRefusal
{
    public static bool IsRefusal(Exception exception, Func<Exception, bool> isRefusal)
    {
        ArgumentNullException.ThrowIfNull(isRefusal);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (IsUndecodable(e) || isRefusal(e))
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(inner => IsRefusal(inner, isRefusal)))
                return true;
        }
        return false;
    }

    private static bool IsUndecodable(Exception e) => e is System.Text.Json.JsonException;
}
