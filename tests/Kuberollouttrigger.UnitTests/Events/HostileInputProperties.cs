using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kuberollouttrigger.Common.Images;
using Kuberollouttrigger.Ingress.Events;

namespace Kuberollouttrigger.UnitTests.Events;

/// <summary>Property tests: whatever arrives, the parser and the grammar answer "accept" or a reason, never an exception.</summary>
public sealed class HostileInputProperties
{
    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", ":", ",", "\"", "\"image\"", "\"tags\"", "\"ghcr.io/acme/app\"", "\"dev\"", "null", "true", "1e999",
        "-0", "\\u0000", "\\ud800", "\"\\uFEFF\"", " ", "\n", "/*", "*/", "'", "@sha256:", "..", "ghcr.io/acme-evil", "\u0430", "\uFF47",
    ];

    private static readonly ImageUpdateRules Rules = new("ghcr.io/acme");

    [Property(MaxTest = 2_000)]
    public bool Any_bytes_give_a_payload_or_a_reason(byte[] body)
    {
        var result = EventPayloadReader.Read(body ?? []);
        return (result.Payload is null) != (result.Error is null);
    }

    [Property(MaxTest = 2_000)]
    public Property Json_like_text_gives_a_payload_or_a_reason() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Fragments)).ToArbitrary(), parts =>
        {
            var result = EventPayloadReader.Read(Encoding.UTF8.GetBytes(string.Concat(parts)));
            return (result.Payload is null) != (result.Error is null);
        });

    [Property(MaxTest = 2_000)]
    public Property Well_formed_payloads_with_any_strings_never_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), ArbMap.Default.ArbFor<string[]>(), (image, tags) =>
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { image, tags });
            var result = EventPayloadReader.Read(Encoding.UTF8.GetBytes(json));
            if (result.Payload is not { } payload)
                return result.Error is not null;
            _ = Rules.CheckImage(payload.Image);
            _ = ImageUpdateRules.CheckTags(payload.Tags);
            return true;
        });

    [Property(MaxTest = 5_000)]
    public bool Image_references_parse_or_are_refused_without_exceptions(NonNull<string> text)
    {
        _ = ImageReference.Parse(text.Get);
        _ = Rules.CheckImage(text.Get);
        _ = ImageGrammar.IsTag(text.Get);
        return true;
    }

    [Property(MaxTest = 2_000)]
    public Property Accepted_images_are_always_under_the_prefix_at_a_path_boundary() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements("ghcr.io", "acme", "acme-evil", "app", "..", "a.b", "x_y", "A", "-", ":5000", "@", "/")).ToArbitrary(), parts =>
        {
            var image = string.Join('/', parts);
            return Rules.CheckImage(image) is not null || image.StartsWith("ghcr.io/acme/", StringComparison.Ordinal);
        });
}
