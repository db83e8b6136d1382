using Kuberollouttrigger.Common.Policy;
using Kuberollouttrigger.RolloutWorker.Coalescing;
using Kuberollouttrigger.RolloutWorker.Configuration;
using Kuberollouttrigger.RolloutWorker.Validation;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kuberollouttrigger.RolloutWorker.Messaging;

/// <summary>
/// The worker's MassTransit registration, shared by production and MassTransit's test harness: the rollout consumer
/// with its definition, the raw-JSON deserializer for the Go original's messages, and the idempotency, status and
/// coalescing filters registered once as scoped consume filters (in that order), inside the one that puts the event's
/// id on every log line.
/// </summary>
public static class MessagingExtensions
{
    /// <summary>Production: the services below, and an in-memory bus whose only input is the Valkey receive path's dispatcher.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMessagingServices(configuration);
        services.AddMassTransit(x =>
        {
            x.AddRolloutConsumers();
            x.UsingInMemory((context, bus) => bus.ConfigureRolloutBus(context));
        });
        return services;
    }

    /// <summary>What the consumer and its filters need: the worker's options, the policy, the event claims, the metrics.</summary>
    public static IServiceCollection AddMessagingServices(this IServiceCollection services, IConfiguration configuration)
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
        services.AddSingleton<MessageRules>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetryPolicy>();
        services.AddSingleton<WorkerIdentity>();
        services.AddSingleton<EventClaims>();
        services.AddSingleton<EventProgress>();
        services.AddSingleton<ConsumerMetrics>();
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
        bus.UseConsumeFilter(typeof(EventLogScopeFilter<>), context);
        bus.UseConsumeFilter(typeof(IdempotencyFilter<>), context);
        bus.UseConsumeFilter(typeof(StatusFaultFilter<>), context);
        bus.UseConsumeFilter(typeof(CoalescingFilter<>), context);
    }
}
