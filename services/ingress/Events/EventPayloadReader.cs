using System.Text.Json;
using Kuberollouttrigger.Common.Images;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>
/// Reads the event body strictly: one object with exactly the members <c>image</c> (string) and <c>tags</c>
/// (array of strings); unknown or duplicate members, nulls, other types and trailing content are refused.
/// Stops reading as soon as the body is known to be wrong, so a huge array costs little.
/// </summary>
public static class EventPayloadReader
{
    private const int MaxDepth = 4;
    private static readonly JsonReaderOptions Options = new() { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    public static PayloadReadResult Read(ReadOnlySpan<byte> body)
    {
        // Some clients prefix UTF-8 with a byte order mark; it is not part of the JSON.
        if (body.StartsWith("\uFEFF"u8))
            body = body[3..];
        if (body.IsEmpty)
            return PayloadReadResult.Fail("body is empty");
        try
        {
            return ReadObject(body);
        }
        catch (JsonException)
        {
            return PayloadReadResult.Fail("body is not valid JSON");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws this for strings that are not valid UTF-8.
            return PayloadReadResult.Fail("body is not valid UTF-8 JSON");
        }
    }

    private static PayloadReadResult ReadObject(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, Options);
        if (!reader.Read())
            return PayloadReadResult.Fail("body is empty");
        if (reader.TokenType != JsonTokenType.StartObject)
            return PayloadReadResult.Fail("body must be a JSON object");

        string? image = null;
        List<string>? tags = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("image"u8))
            {
                if (image is not null)
                    return PayloadReadResult.Fail("duplicate member 'image'");
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                    return PayloadReadResult.Fail("image must be a string");
                image = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                if (tags is not null)
                    return PayloadReadResult.Fail("duplicate member 'tags'");
                reader.Read();
                var error = ReadTags(ref reader, out tags);
                if (error is not null)
                    return PayloadReadResult.Fail(error);
            }
            else
            {
                return PayloadReadResult.Fail($"unknown member '{Shorten(reader.GetString())}'; only image and tags are allowed");
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
            return PayloadReadResult.Fail("body is not valid JSON");
        if (HasTrailingContent(ref reader))
            return PayloadReadResult.Fail("unexpected content after the JSON object");
        if (image is null)
            return PayloadReadResult.Fail("missing member 'image'");
        if (tags is null)
            return PayloadReadResult.Fail("missing member 'tags'");
        return new PayloadReadResult(new EventPayload(image, tags), null);
    }

    private static bool HasTrailingContent(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static string? ReadTags(ref Utf8JsonReader reader, out List<string> tags)
    {
        tags = [];
        if (reader.TokenType != JsonTokenType.StartArray)
            return "tags must be an array of strings";
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
                return $"tags[{tags.Count}] must be a string";
            if (tags.Count == ImageUpdateRules.MaxTags)
                return $"tags must hold at most {ImageUpdateRules.MaxTags} tags";
            tags.Add(reader.GetString()!);
        }
        return null;
    }

    private static string Shorten(string? name)
    {
        name ??= "";
        var cut = name.Length > 40 ? name[..40] + "..." : name;
        return new string([.. cut.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
