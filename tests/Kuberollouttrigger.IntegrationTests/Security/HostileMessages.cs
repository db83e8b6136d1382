using System.Text;
using Kuberollouttrigger.Contracts;
using Kuberollouttrigger.Transport.Publishing;

namespace Kuberollouttrigger.IntegrationTests.Security;

/// <summary>
/// Bytes a forger can put on the channel or the stream: invalid UTF-8 in every string the receive path reads, JSON of
/// the wrong shape, and seeded random mutations of a real envelope. Every mutation is of an envelope for
/// <see cref="DecoyImage"/>, which no workload runs, so even a mutation that happens to stay valid restarts nothing.
/// </summary>
public static class HostileMessages
{
    public const string DecoyImage = "ghcr.io/acme/decoy";

    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80, 0xC0, 0xAF];

    public static IReadOnlyList<byte[]> Corpus(int randomCount = 150, int seed = 20261202)
    {
        var envelope = ValidEnvelope();
        var text = Encoding.UTF8.GetString(envelope);
        var corpus = new List<byte[]>
        {
            Array.Empty<byte>(),
            new byte[] { 0x00 },
            new byte[] { 0xEF, 0xBB, 0xBF },
            Concat("{\"image\":\"ghcr.io/acme/", InvalidUtf8, "\",\"tags\":[\"dev\"]}"),
            Concat("{\"image\":\"ghcr.io/acme/decoy\",\"tags\":[\"", InvalidUtf8, "\"]}"),
            Concat("{\"", InvalidUtf8, "\":\"x\",\"image\":\"ghcr.io/acme/decoy\",\"tags\":[\"dev\"]}"),
            InsertAfter(envelope, "\"image\":\"ghcr.io/acme/", InvalidUtf8),
            InsertAfter(envelope, "\"MT-Activity-Id\":\"", InvalidUtf8),
            InsertAfter(envelope, "\"messageType\":[\"", InvalidUtf8),
            InsertAfter(envelope, "\"headers\":{", Concat("\"x\":\"", InvalidUtf8, "\",")),
            InsertAfter(envelope, "\"repository\":\"", InvalidUtf8),
            Encoding.UTF8.GetBytes("""{"image":5,"tags":"dev"}"""),
            Encoding.UTF8.GetBytes("""{"image":"ghcr.io/acme/decoy","tags":{"0":"dev"}}"""),
            Encoding.UTF8.GetBytes("""{"messageType":"urn:message:x","message":{"image":"ghcr.io/acme/decoy"}}"""),
            Encoding.UTF8.GetBytes("""{"messageId":"not-a-guid","messageType":[],"message":[]}"""),
            Encoding.UTF8.GetBytes(text.Replace("\"tags\":[\"dev\"]", "\"tags\":\"dev\"", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(text.Replace("\"eventId\":", "\"eventId\":{},\"x\":", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(text.Replace("\"requestedAt\":\"", "\"requestedAt\":\"not a date", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(text.Replace("\"message\":{", "\"message\":{\"triggeredBy\":7,", StringComparison.Ordinal)),
            Encoding.UTF8.GetBytes(new string('[', 5000)),
            Encoding.UTF8.GetBytes("{\"image\":\"" + new string('a', 200_000) + "\",\"tags\":[\"dev\"]}"),
            Encoding.UTF8.GetBytes("{\"image\":\"ghcr.io/acme/decoy\",\"tags\":[\"dev\"],\"n\":1" + new string('0', 400) + "}"),
        };

        var random = new Random(seed);
        for (var i = 0; i < randomCount; i++)
        {
            var mutated = (byte[])envelope.Clone();
            switch (i % 4)
            {
                case 0:
                    random.NextBytes(mutated.AsSpan(random.Next(mutated.Length - 8), 8));
                    break;
                case 1:
                    mutated = mutated[..random.Next(1, mutated.Length)];
                    break;
                case 2:
                    mutated[random.Next(mutated.Length)] = InvalidUtf8[random.Next(InvalidUtf8.Length)];
                    break;
                default:
                    mutated = new byte[random.Next(1, 2048)];
                    random.NextBytes(mutated);
                    break;
            }
            corpus.Add(mutated);
        }
        return corpus;
    }

    public static byte[] ValidEnvelope(string image = DecoyImage)
    {
        var message = new ImageUpdated(Guid.NewGuid(), image, ["dev"],
            new GitHubTrigger("acme/app", "acme", "refs/heads/main", "abc", "build", "octocat", "1"), DateTimeOffset.UtcNow);
        using var activity = new System.Diagnostics.Activity("forged").SetIdFormat(System.Diagnostics.ActivityIdFormat.W3C).Start();
        var written = MessageEnvelopeWriter.Write(message, message.EventId, new Uri("valkey:forged"), new Uri("valkey:forged"));
        // Compact, so the mutations below find their places whatever the serializer's indentation.
        return Encoding.UTF8.GetBytes(System.Text.Json.Nodes.JsonNode.Parse(written)!.ToJsonString());
    }

    private static byte[] Concat(string head, byte[] middle, string tail) => [.. Encoding.UTF8.GetBytes(head), .. middle, .. Encoding.UTF8.GetBytes(tail)];

    private static byte[] InsertAfter(byte[] envelope, string find, byte[] inserted)
    {
        var at = envelope.AsSpan().IndexOf(Encoding.UTF8.GetBytes(find));
        if (at < 0)
            throw new InvalidOperationException($"the envelope holds no {find}: {Encoding.UTF8.GetString(envelope)}");
        var end = at + Encoding.UTF8.GetByteCount(find);
        return [.. envelope[..end], .. inserted, .. envelope[end..]];
    }
}
