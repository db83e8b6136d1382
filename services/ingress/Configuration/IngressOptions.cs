using System.ComponentModel.DataAnnotations;

namespace Kuberollouttrigger.Ingress.Configuration;

/// <summary>What the event endpoint accepts.</summary>
public sealed class IngressOptions
{
    public const string Section = "Ingress";
    public const int MaxBodyBytes = 1024 * 1024;

    [Required(AllowEmptyStrings = false)]
    public string AllowedImagePrefix { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string ListenAddress { get; set; } = ":8080";

    /// <summary>When false (the default), an event no worker received is answered 503 instead of 202.</summary>
    public bool AllowNoSubscriber { get; set; }
}
