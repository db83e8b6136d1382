namespace Kuberollouttrigger.UnitTests.Logging;

/// <summary>
/// The log strings docs/troubleshooting.md and docs/observability.md tell operators to search for are the ones the
/// programs print: each documented string is paired with the message template (or reason text) in the source that
/// writes it, so a change to either side fails here. The integration tests assert the printed lines themselves.
/// </summary>
public sealed class DocumentedLogStringsTests
{
    private static readonly string Root = RepositoryRoot();

    private static readonly string Source = string.Join('\n',
        new[] { "services", "transport" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    [Theory]
    [InlineData("troubleshooting.md", "`Rejected token: …`", "Rejected token: {Reason}")]
    [InlineData("troubleshooting.md", "`Refused event with …`", "Refused event with {Status}: {Reason}")]
    [InlineData("troubleshooting.md", "`0 matched: <reason>`", "0 matched: {Reason}")]
    [InlineData("troubleshooting.md", "`Watching deployments … failed: <API URL> answered 403: …`", "\"Watching {Scope} failed: {ApiUrl} answered {Status}: ")]
    [InlineData("troubleshooting.md", "`No permission to list deployments in namespace …`", "\"No permission to list {Resource} in namespace {Namespace} (403)")]
    [InlineData("troubleshooting.md", "`Refused message …`", "\"Refused message {EventId}: {Reason}\"")]
    [InlineData("troubleshooting.md", "`Skipped event … (another delivery of the same event)`", "\"Skipped event {EventId}: {Claim} (another delivery of the same event)\"")]
    [InlineData("troubleshooting.md", "`Moved message … to the dead-letter stream …: <reason>`", "\"Moved message {MessageId} from {Source} to the dead-letter stream after {Deliveries} delivery(ies): {Reason}\"")]
    [InlineData("troubleshooting.md", "`warning: container(s) … not imagePullPolicy Always`", "warning: container(s) {string.Join(\", \", containers)} not imagePullPolicy Always;")]
    [InlineData("troubleshooting.md", "`jti: the token has no jti claim`", "\"jti: the token has no jti claim (GitHub Actions tokens always have one)\"")]
    [InlineData("troubleshooting.md", "`iat: the token was issued … s ago, more than MAX_TOKEN_AGE`", "$\"iat: the token was issued {(long)age.TotalSeconds} s ago, more than MAX_TOKEN_AGE (")]
    [InlineData("troubleshooting.md", "`signature: the issuer publishes no key with the token's kid`", "$\"signature: the issuer publishes no key with the token's kid '{token.Kid}'")]
    [InlineData("troubleshooting.md", "`repository_owner: '…' is not the organization this service accepts`", "$\"repository_owner: '{TokenDiagnostics.Safe(owner)}' is not the organization this service accepts\"")]
    [InlineData("troubleshooting.md", "`exp: the token expired`", "$\"exp: the token expired at ")]
    [InlineData("troubleshooting.md", "`no bearer token`", "\"no bearer token: send 'Authorization: Bearer ")]
    [InlineData("observability.md", "`Published event <eventId> …`", "\"Published event {EventId}: image {Image} tags {Tags} from {Repository}: ")]
    [InlineData("observability.md", "`Event <eventId>: <kind> <namespace>/<name> <outcome>: <reason>`", "\"Event {EventId}: {Kind} {Namespace}/{Name} {Outcome}: {Reason}\"")]
    [InlineData("observability.md", "`Event <eventId>: … matched, … restarted`", ": {Matched} matched, {Restarted} restarted, {Skipped} skipped, {Failed} failed\"")]
    [InlineData("observability.md", "RequestLogMiddleware: POST /event -> 202 in 3.1 ms … request_id=… trace_id=…`", "\"{Method} {Path} -> {Status} in {DurationMs} ms (request {RequestId}")]
    public void A_documented_log_string_is_written_by_the_program(string doc, string documented, string template)
    {
        Assert.Contains(documented, File.ReadAllText(Path.Combine(Root, "docs", doc)), StringComparison.Ordinal);
        Assert.Contains(template, Source, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kuberollouttrigger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("kuberollouttrigger.sln not found above the test folder");
    }
}
