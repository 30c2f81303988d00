namespace SaasOnboarding.Api.Secrets;

/// <summary>
/// A secret given either directly in configuration or as the name of a SecureString parameter, read once (at the
/// first use, which each adapter makes at start) and kept in memory. Reusable by any adapter.
/// </summary>
public sealed class StartupSecret : IDisposable
{
    private readonly string? _value;
    private readonly string? _parameterName;
    private readonly ISecureParameterReader? _reader;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _loaded;

    private StartupSecret(string? value, string? parameterName, ISecureParameterReader? reader)
    {
        _value = value;
        _parameterName = parameterName;
        _reader = reader;
    }

    public static StartupSecret FromValue(string value) => new(value, null, null);

    public static StartupSecret FromParameter(string parameterName, ISecureParameterReader reader) => new(null, parameterName, reader);

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_value is not null)
        {
            return _value;
        }

        if (_loaded is { } loaded)
        {
            return loaded;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _loaded ??= await _reader!.ReadSecureStringAsync(_parameterName!, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Never the value: a secret that reaches a log through ToString is still a leak.</summary>
    public override string ToString() => _parameterName is null ? "StartupSecret(configured value)" : $"StartupSecret(parameter {_parameterName})";
}
