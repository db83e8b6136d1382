using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// JwtBearer's token handler with one addition: a token refused only because no cached key has its <c>kid</c> (the
/// issuer rotated its key) is validated a second time with the keys <see cref="IssuerKeys.RefreshForKeyAsync"/>
/// fetched for it, so the first request after a rotation is accepted instead of refused for up to a minute. Every
/// other outcome is the base handler's.
/// </summary>
public sealed class KeyRotationTokenHandler(IssuerKeys keys) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid || result.Exception is not SecurityTokenSignatureKeyNotFoundException || KidOf(token) is not { } kid)
            return result;
        if (await keys.RefreshForKeyAsync(kid, CancellationToken.None) is not { } refreshed)
            return result;
        var again = validationParameters.Clone();
        again.IssuerSigningKeys = refreshed.SigningKeys;
        return await base.ValidateTokenAsync(token, again);
    }

    private string? KidOf(string token) => CanReadToken(token) ? ReadJsonWebToken(token).Kid is { Length: > 0 } kid ? kid : null : null;
}
