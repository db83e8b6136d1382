using Microsoft.Extensions.DependencyInjection;

namespace Kuberollouttrigger.Ingress.Events;

public static class EventIntakeExtensions
{
    /// <summary>The <c>POST /event</c> path: the intake that turns a request into a decision (its routes come with <c>MapEvents</c>).</summary>
    public static IServiceCollection AddEventIntake(this IServiceCollection services)
    {
        services.AddSingleton<EventIntake>();
        return services;
    }
}
