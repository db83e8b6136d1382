using System.Globalization;
using Kuberollouttrigger.Transport.Streams;
using MassTransit;

namespace Kuberollouttrigger.RolloutWorker.Delivery;

/// <summary>
/// A stream entry delivered more than once was claimed from a worker that went silent (or failed it before). Only one
/// consumer holds a stream entry at a time, so the event claim of the silent worker may be taken over; PubSub
/// messages never carry the header, and there every other holder keeps its claim.
/// </summary>
public static class StreamRedelivery
{
    public static bool IsRedelivery(ReceiveContext context) =>
        context?.TransportHeaders.TryGetHeader(StreamEntryHandler.DeliveriesHeader, out var value) == true
        && Convert.ToInt64(value, CultureInfo.InvariantCulture) > 1;
}
