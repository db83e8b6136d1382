using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kuberollouttrigger.Ingress.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.UnitTests.Authentication;

/// <summary>The claim-type check on payloads a token may carry: never an exception, a reason naming the claim or null.</summary>
public sealed class StringClaimsTests
{
    private static readonly string[] Fragments =
    [
        "\"repository\"", "\"Repository\"", "\"repository_owner\"", "\"ref\"", "\"environment\"", "\"other\"", ":", ",", "\"acme/app\"", "[", "]", "{", "}",
        "1", "null", "true", "\"\\u0072ef\"", " ",
    ];

    [Theory]
    [InlineData("""{"repository":"acme/app","ref":"refs/heads/main"}""", null)]
    [InlineData("""{"repository":["acme/app"]}""", "the token's repository claim must be a string, not an array")]
    [InlineData("""{"REF":{"x":1}}""", "the token's ref claim must be a string, not an object")]
    [InlineData("""{"repository_id":2000002}""", "the token's repository_id claim must be a string, not a number")]
    [InlineData("""{"environment":null}""", "the token's environment claim must be a string, not null")]
    [InlineData("""{"job_workflow_ref":false}""", "the token's job_workflow_ref claim must be a string, not a boolean")]
    [InlineData("""{"repository_owner":"acme","repository_owner":"evil"}""", "the token's repository_owner claim appears more than once")]
    [InlineData("""{"other":[1,{"repository":[]}],"repository":"acme/app"}""", null)]
    public void Payload_gives_its_reason(string payload, string? reason) =>
        Assert.Equal(reason, StringClaims.Check(Token(payload)));

    [Fact]
    public void Not_a_json_web_token_is_refused() => Assert.NotNull(StringClaims.Check(null));

    [Fact]
    public void Nesting_deeper_than_the_reader_takes_is_refused_not_thrown()
    {
        var deep = "{\"other\":" + new string('[', 500) + new string(']', 500) + ",\"repository\":\"acme/app\"}";
        JsonWebToken token;
        try
        {
            token = Token(deep);
        }
        catch (ArgumentException)
        {
            // IdentityModel refuses it first, so JwtBearer never hands it over.
            return;
        }

        Assert.Equal("the token's claims could not be read", StringClaims.Check(token));
    }

    [Property(MaxTest = 2_000)]
    public Property Json_like_payloads_never_throw() =>
        Prop.ForAll(Gen.ArrayOf(Gen.Elements(Fragments)).ToArbitrary(), parts =>
        {
            var payload = "{" + string.Concat(parts) + "}";
            try
            {
                var token = Token(payload);
                return StringClaims.Check(token) is null or { Length: > 0 };
            }
            catch (ArgumentException)
            {
                // Not a JSON object IdentityModel would parse: JwtBearer refuses it before this check runs.
                return true;
            }
        });

    private static JsonWebToken Token(string payload) =>
        new(Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(payload)) + ".");
}
