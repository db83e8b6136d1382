using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Idempotency;
using Kuberollouttrigger.RolloutWorker.Rollout;
using Kuberollouttrigger.RolloutWorker.Status;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// The worker's MassTransit registration, shared by production and MassTransit's test harness:
/// the rollout consumer with its definition, the raw-JSON deserializer for the Go original's messages,
/// and the idempotency and coalescing filters registered once as scoped consume filters (in that order).
/// </summary>
public static class RolloutMessaging
{
    public static IServiceCollection AddRolloutServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkerOptions>()
            .Bind(configuration.GetSection(WorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<RolloutOptions>()
            .Bind(configuration.GetSection(RolloutOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRequestPolicy(configuration);
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<EventClaims>();
        services.AddSingleton<RolloutProgress>();
        services.AddSingleton<RolloutMetrics>();
        services.AddEventStatus(configuration);
        services.AddCoalescing(configuration);
        services.AddMetrics();
        return services;
    }

    public static IBusRegistrationConfigurator AddRolloutConsumers(this IBusRegistrationConfigurator configurator)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        configurator.AddConsumer<ImageUpdatedConsumer, ImageUpdatedConsumerDefinition>();
        return configurator;
    }

    public static void ConfigureRolloutBus(this IInMemoryBusFactoryConfigurator bus, IBusRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);
        bus.UseConsumeFilter(typeof(IdempotencyFilter<>), context);
        bus.UseConsumeFilter(typeof(StatusFaultFilter<>), context);
        bus.UseConsumeFilter(typeof(CoalescingFilter<>), context);
    }

    /// <summary>Production: an in-memory bus whose only input is the Valkey subscriber's dispatcher.</summary>
    public static IServiceCollection AddRolloutMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRolloutServices(configuration);
        services.AddMassTransit(x =>
        {
            x.AddRolloutConsumers();
            x.UsingInMemory((context, bus) => bus.ConfigureRolloutBus(context));
        });
        return services;
    }
}
