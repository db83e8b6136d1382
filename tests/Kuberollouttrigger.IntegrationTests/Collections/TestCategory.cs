namespace Kuberollouttrigger.IntegrationTests.Collections;

/// <summary>
/// The trait that keeps a test out of <c>scripts/test.sh --fast</c>: <c>[Trait(TestCategory.Name, TestCategory.Process)]</c>
/// on every class that starts the published executable or a script as a child process (the process itself is what
/// it tests: exit codes, flags and environment, logs on stdout, crashes, kills). Everything else runs in process.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";

    public const string Process = "Process";
}
