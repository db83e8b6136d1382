using System.Reflection;

namespace Kuberollouttrigger.Common.Hosting;

/// <summary>The product's version (<c>0.1.0</c>), as <c>kuberollouttrigger version</c> prints it and the Kubernetes user agent carries it.</summary>
public static class ProductVersion
{
    public static string Current { get; } = Read();

    /// <summary><c>kuberollouttrigger/0.1.0</c>: what the worker's Kubernetes requests name themselves (in the API server's audit log).</summary>
    public static string UserAgent => $"kuberollouttrigger/{Current}";

    private static string Read()
    {
        var informational = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
            return typeof(ProductVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
