using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Kuberollouttrigger.Ingress.Authentication;

/// <summary>
/// The issuer's discovery document and JWKS, cached by IdentityModel's configuration manager. While the issuer cannot
/// be reached it fails fast for a few seconds instead of fetching once per request, so a flood of tokens during an
/// issuer outage does not turn into a flood of requests to the issuer. Its failures surface to JwtBearer as
/// exceptions (not as "key not found"), which the ingress answers with 503 rather than 401.
/// <para>
/// After the issuer rotated its key, the first token with the new <c>kid</c> must not wait for the next scheduled
/// refresh (the configuration manager's own refresh runs in the background, after the request was refused):
/// <see cref="RefreshForKeyAsync"/> fetches the keys at once, at most once per <c>refreshInterval</c> (so tokens with
/// made-up kids cannot make the service hammer the issuer), and serves them until the cache has caught up.
/// </para>
/// </summary>
public sealed partial class IssuerKeys(
    IConfigurationManager<OpenIdConnectConfiguration> inner,
    Func<CancellationToken, Task<OpenIdConnectConfiguration>> fetch,
    TimeProvider time,
    TimeSpan failFastFor,
    TimeSpan refreshInterval,
    ILogger<IssuerKeys> logger) : IConfigurationManager<OpenIdConnectConfiguration>, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private DateTimeOffset _failingUntil;
    private Exception? _lastFailure;
    private OpenIdConnectConfiguration? _lastCached;
    private OpenIdConnectConfiguration? _fresh;
    private OpenIdConnectConfiguration? _staleCached;
    private DateTimeOffset? _lastForcedRefresh;

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        lock (_gate)
        {
            if (_lastFailure is not null && time.GetUtcNow() < _failingUntil)
                throw new InvalidOperationException("the issuer's configuration is unavailable", _lastFailure);
        }
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await inner.GetConfigurationAsync(cancel);
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
        lock (_gate)
        {
            _lastFailure = null;
            _lastCached = configuration;
            if (_fresh is null)
                return configuration;
            // Keys fetched for a new kid stand in for the cache until the cache itself has been refreshed.
            if (ReferenceEquals(configuration, _staleCached))
                return _fresh;
            _fresh = null;
            return configuration;
        }
    }

    /// <summary>
    /// The issuer's keys fetched now, because a token names <paramref name="kid"/>, which the cached keys lack; null
    /// when the last such fetch was less than the refresh interval ago or the fetch failed. Concurrent callers wait for
    /// one fetch.
    /// </summary>
    public async Task<OpenIdConnectConfiguration?> RefreshForKeyAsync(string kid, CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                if (_fresh is { } fresh && HasKey(fresh, kid))
                    return fresh;
                var now = time.GetUtcNow();
                if (_lastForcedRefresh is { } last && now - last < refreshInterval)
                    return null;
                _lastForcedRefresh = now;
            }
            OpenIdConnectConfiguration fetched;
            try
            {
                fetched = await fetch(cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                LogRefreshFailed(logger, TokenDiagnostics.Safe(kid), e.GetType().Name, e.Message);
                return null;
            }
            var found = HasKey(fetched, kid);
            LogRefreshed(logger, TokenDiagnostics.Safe(kid), fetched.SigningKeys.Count, found);
            // The cache keeps its own schedule; these keys stand in for it until its next refresh replaces what it holds.
            lock (_gate)
            {
                _fresh = fetched;
                _staleCached = _lastCached;
            }
            return fetched;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    public void RequestRefresh() => inner.RequestRefresh();

    public void Dispose() => _refreshing.Dispose();

    private static bool HasKey(OpenIdConnectConfiguration configuration, string kid) =>
        configuration.SigningKeys.Any(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

    [LoggerMessage(EventId = 12, Level = LogLevel.Information,
        Message = "Reloaded the issuer's keys for a token with the unknown kid {Kid}: {KeyCount} key(s), the kid {Found}")]
    private static partial void LogRefreshed(ILogger logger, string kid, int keyCount, bool found);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Could not reload the issuer's keys for the unknown kid {Kid}: {ErrorType}: {Error}")]
    private static partial void LogRefreshFailed(ILogger logger, string kid, string errorType, string error);
}
