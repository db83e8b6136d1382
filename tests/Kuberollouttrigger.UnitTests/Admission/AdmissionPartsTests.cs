using System.Net;
using System.Security.Claims;
using Kuberollouttrigger.Ingress.Abuse;
using Kuberollouttrigger.Ingress.Authentication;
using Kuberollouttrigger.Ingress.Replay;

namespace Kuberollouttrigger.UnitTests.Admission;

public sealed class AdmissionPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("", 0, 0)]
    [InlineData("10.0.0.1, 10.42.0.0/16 ,::1", 2, 1)]
    [InlineData("fd00::/8", 0, 1)]
    public void Trusted_proxies_are_addresses_and_networks(string text, int addresses, int networks)
    {
        var (proxies, error) = TrustedProxies.Parse(text);

        Assert.Null(error);
        Assert.Equal(addresses, proxies!.Addresses.Count);
        Assert.Equal(networks, proxies.Networks.Count);
    }

    [Theory]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.1/33")]
    [InlineData("10.0.0.300")]
    public void Trusted_proxies_refuse_what_is_not_an_address(string text) =>
        Assert.Contains($"'{text}'", TrustedProxies.Parse(text).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void Client_partition_groups_IPv6_by_its_64(string address, string partition) =>
        Assert.Equal(partition, ClientPartition.Of(IPAddress.Parse(address)));

    [Fact]
    public void Fingerprint_depends_on_image_and_tags() =>
        Assert.Distinct(new[]
        {
            EventFingerprint.Of("ghcr.io/acme/app", ["dev"]),
            EventFingerprint.Of("ghcr.io/acme/app", ["prod"]),
            EventFingerprint.Of("ghcr.io/acme/other", ["dev"]),
            EventFingerprint.Of("ghcr.io/acme/app", ["dev", "v1"]),
        });

    [Theory]
    [InlineData("jti-1", -60L, null)]
    [InlineData("jti-1", -599L, null)]
    [InlineData("jti-1", -601L, "iat: the token was issued 601 s ago, more than MAX_TOKEN_AGE (600 s) allows")]
    [InlineData("jti-1", 30L, null)]
    [InlineData("jti-1", 120L, "iat is in the future")]
    [InlineData(null, -60L, "no jti")]
    [InlineData("jti-1", null, "no iat")]
    public void Token_freshness_needs_a_jti_and_a_recent_iat(string? jti, long? iatOffset, string? reason)
    {
        var claims = new List<Claim>();
        if (jti is not null)
            claims.Add(new Claim("jti", jti));
        if (iatOffset is { } offset)
            claims.Add(new Claim("iat", (Now.ToUnixTimeSeconds() + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var options = new GitHubOidcOptions { MaxTokenAge = TimeSpan.FromMinutes(10), ClockSkew = TimeSpan.FromSeconds(60) };

        var result = TokenFreshness.Check(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")), Now, options);

        if (reason is null)
            Assert.Null(result);
        else
            Assert.Contains(reason, result, StringComparison.Ordinal);
    }
}
