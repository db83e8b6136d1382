using Kuberollouttrigger.Transport.Connection;
using Kuberollouttrigger.Transport.Streams;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.Transport.Publishing;

/// <summary>
/// With stream delivery the publish script writes the stream and a record in one cluster slot, which needs a hash tag
/// the record can carry: refused at start when VALKEY_CHANNEL makes a stream key hashed whole that contains a <c>}</c>.
/// </summary>
public sealed class StreamSlotValidator(IOptions<ValkeyOptions> valkey) : IValidateOptions<StreamDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !options.IsStream || KeySlot.KeyBeside(StreamNames.For(valkey.Value).Stream, "", "") is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("with DELIVERY_MODE=stream, VALKEY_CHANNEL may contain '}' only to close a hash tag {...}: the web mode keeps its token records in the stream's cluster slot");
    }
}
