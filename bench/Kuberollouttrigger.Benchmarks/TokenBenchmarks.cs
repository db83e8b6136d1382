using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Kuberollouttrigger.Testing.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Benchmarks;

/// <summary>RS256 validation of a GitHub-shaped token with the key already cached, as JwtBearer does per request.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private SigningKey _key = null!;
    private string _token = null!;
    private TokenValidationParameters _parameters = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = new SigningKey("key-1");
        var payload = new GitHubTokenClaims { Expires = DateTimeOffset.UtcNow.AddHours(1) }.ToPayload("https://token.actions.githubusercontent.com", "krt");
        _token = JwtWriter.Rs256(new JsonObject { ["typ"] = "JWT", ["kid"] = _key.Kid }, payload, _key.Rsa);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = "https://token.actions.githubusercontent.com",
            ValidAudience = "krt",
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            IssuerSigningKey = new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.Kid },
            ClockSkew = TimeSpan.FromSeconds(60),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public async Task<bool> ValidateRs256Token() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;
}
