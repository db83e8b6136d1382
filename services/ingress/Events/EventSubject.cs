using Microsoft.AspNetCore.Http;

namespace Kuberollouttrigger.Ingress.Events;

/// <summary>The image a request asked for, once its body has been read: the refusal's log line names it beside the repository.</summary>
public static class EventSubject
{
    private static readonly object Key = new();

    public static void SetImage(HttpContext context, string image)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = image;
    }

    /// <summary>The image, or <c>-</c> when the body was not read (or named none).</summary>
    public static string ImageOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[Key] as string ?? "-";
    }
}
