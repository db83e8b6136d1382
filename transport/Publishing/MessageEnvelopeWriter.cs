using System.Diagnostics;
using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;

namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// Writes the standard MassTransit JSON envelope (application/vnd.masstransit+json) with MassTransit's own serializer,
/// so the worker's receive pipeline reads it like any message that crossed a MassTransit transport.
/// </summary>
public static class MessageEnvelopeWriter
{
    /// <summary>The header MassTransit reads to continue the sender's trace in its receive activity.</summary>
    public const string ActivityIdHeader = "MT-Activity-Id";

    public static string ContentType => SystemTextJsonMessageSerializer.JsonContentType.MediaType;

    public static byte[] Write<T>(T message, Guid messageId, Uri sourceAddress, Uri destinationAddress)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = new MessageSendContext<T>(message, CancellationToken.None)
        {
            MessageId = messageId,
            ConversationId = messageId,
            SourceAddress = sourceAddress,
            DestinationAddress = destinationAddress,
            ContentType = SystemTextJsonMessageSerializer.JsonContentType,
        };
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
            context.Headers.Set(ActivityIdHeader, activity.Id);

        return SystemTextJsonMessageSerializer.Instance.GetMessageBody(context).GetBytes();
    }
}
