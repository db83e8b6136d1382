using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// The issuer's discovery document and JWKS, cached by IdentityModel's configuration manager. While the issuer cannot
/// be reached it fails fast for a few seconds instead of fetching once per request, so a flood of tokens during an
/// issuer outage does not turn into a flood of requests to the issuer. Its failures surface to JwtBearer as
/// exceptions (not as "key not found"), which the ingress answers with 503 rather than 401.
/// </summary>
public sealed class IssuerKeys(IConfigurationManager<OpenIdConnectConfiguration> inner, TimeProvider time, TimeSpan failFastFor)
    : IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly Lock _gate = new();
    private DateTimeOffset _failingUntil;
    private Exception? _lastFailure;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_lastFailure is not null && time.GetUtcNow() < _failingUntil)
                throw new InvalidOperationException("the issuer's configuration is unavailable", _lastFailure);
        }
        try
        {
            var configuration = await inner.GetConfigurationAsync(cancel);
            lock (_gate)
                _lastFailure = null;
            return configuration;
        }
        catch (InvalidOperationException e) when (!cancel.IsCancellationRequested)
        {
            lock (_gate)
            {
                _lastFailure = e.InnerException ?? e;
                _failingUntil = time.GetUtcNow() + failFastFor;
            }
            throw;
        }
    }

    public void RequestRefresh() => inner.RequestRefresh();
}
