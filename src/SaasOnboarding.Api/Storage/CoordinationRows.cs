using System.Data.Common;
using System.Globalization;
using static SaasOnboarding.Api.Storage.SqlCommands;

namespace SaasOnboarding.Api.Storage;

/// <summary>
/// The rate window's and the lease's conditional upserts (<see cref="ITenantCatalog.TakePermitsAsync"/>,
/// <see cref="ITenantCatalog.TryTakeLeaseAsync"/>) over the SQL catalogs (SQLite and PostgreSQL), written once: each
/// store says where its tables are, how it keeps a time, and its names for the two-argument minimum and maximum
/// (SQLite's scalar <c>min</c> and <c>max</c>, PostgreSQL's <c>LEAST</c> and <c>GREATEST</c>).
/// </summary>
internal sealed class CoordinationRows(
    string prefix,
    string least,
    string greatest,
    Func<CancellationToken, Task<DbConnection>> open,
    Func<DateTimeOffset, object> storedTime)
{
    public async Task<int> TakePermitsAsync(string key, DateTimeOffset windowStart, int permitLimit, int wanted, CancellationToken cancellationToken)
    {
        // In SET, w.used is the row before this write: granted is what this write added.
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection,
            null,
            $"""
            INSERT INTO {prefix}rate_window AS w (key, window_start, used, granted)
            VALUES (@key, @start, {least}(@wanted, @limit), {least}(@wanted, @limit))
            ON CONFLICT (key) DO UPDATE SET
                window_start = {greatest}(w.window_start, excluded.window_start),
                used = CASE WHEN w.window_start >= excluded.window_start THEN {least}(w.used + @wanted, @limit) ELSE excluded.used END,
                granted = CASE WHEN w.window_start >= excluded.window_start THEN {greatest}({least}(@wanted, @limit - w.used), 0) ELSE excluded.used END
            RETURNING granted
            """,
            ("@key", key),
            ("@start", storedTime(windowStart)),
            ("@limit", permitLimit),
            ("@wanted", wanted));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<bool> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = Command(
            connection,
            null,
            $"""
            INSERT INTO {prefix}lease AS l (name, holder, expires_at) VALUES (@name, @holder, @expires)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE l.holder = excluded.holder OR l.expires_at <= @now
            RETURNING 1
            """,
            ("@name", name),
            ("@holder", holder),
            ("@now", storedTime(now)),
            ("@expires", storedTime(now + duration)));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
