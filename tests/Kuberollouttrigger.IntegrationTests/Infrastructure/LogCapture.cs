using Microsoft.Extensions.Logging;

namespace Kuberollouttrigger.IntegrationTests.Infrastructure;

/// <summary>An in-process logger provider that keeps every entry: its level, category, number, message and fields.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_entries)
                return [.. _entries];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(LogLevel Level, string Category, int EventId, string Message, IReadOnlyDictionary<string, object?> Fields);

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value)
                : [];
            lock (capture._entries)
                capture._entries.Add(new Entry(logLevel, category, eventId.Id, formatter(state, exception), fields));
        }
    }
}
