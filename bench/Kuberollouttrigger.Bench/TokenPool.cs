using Kuberollouttrigger.Testing.Oidc;

namespace Kuberollouttrigger.Bench;

/// <summary>
/// Single-use tokens signed ahead of a load run: the web mode remembers every accepted token's jti, so a reused
/// token would be answered from the replay record instead of being published, and the run would measure the wrong thing.
/// </summary>
public sealed class TokenPool
{
    private readonly string[] _tokens;
    private int _next = -1;

    private TokenPool(string[] tokens) => _tokens = tokens;

    public int Size => _tokens.Length;

    public int Taken => Math.Min(Volatile.Read(ref _next) + 1, _tokens.Length);

    /// <summary>Signs <paramref name="size"/> tokens with distinct jti and run id on every core.</summary>
    public static TokenPool Sign(OidcIssuer issuer, int size)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var expires = DateTimeOffset.UtcNow.AddMinutes(9);
        var tokens = new string[size];
        Parallel.For(0, size, i => tokens[i] = issuer.CreateToken(new GitHubTokenClaims
        {
            RunId = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Expires = expires,
        }));
        return new TokenPool(tokens);
    }

    /// <summary>The next unused token, or null once all are used.</summary>
    public string? Take()
    {
        var i = Interlocked.Increment(ref _next);
        return i < _tokens.Length ? _tokens[i] : null;
    }
}
