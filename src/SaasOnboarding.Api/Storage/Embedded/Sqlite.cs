using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>Connection helpers shared by the embedded store's parent and child databases.</summary>
internal static partial class Sqlite
{
    private const int ConfigPageCache = 7; // SQLITE_CONFIG_PAGECACHE
    private const int ConfigLookaside = 13; // SQLITE_CONFIG_LOOKASIDE
    private const int LookasideSlotSize = 256;
    private const int LookasideSlots = 20;

    /// <summary>
    /// Every connection string is built here before any connection opens, so this runs before SQLite initialises
    /// (sqlite3_config works only then). Two settings make an idle connection to a tenant file much smaller than
    /// SQLite's defaults would, so that the connection cache can keep every recently active tenant open: no
    /// page-cache block allocated up front per connection (tenant files read a few pages), and a lookaside buffer of
    /// 20 slots of 256 bytes instead of SQLite's larger default.
    /// </summary>
    static Sqlite()
    {
        try
        {
            SQLitePCL.Batteries_V2.Init();
            SmallConnections = Configure(ConfigPageCache, 0, 0, 0) == 0
                && Configure(ConfigLookaside, LookasideSlotSize, LookasideSlots, 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another SQLite build (a system library): it keeps its defaults, which only costs memory.
        }
    }

    /// <summary>Whether SQLite took both settings (SQLITE_OK); it refuses them once initialised (SQLITE_MISUSE).</summary>
    public static bool SmallConnections { get; }

    // sqlite3_config is variadic; its integer and pointer arguments pass as ordinary ones on x64 and arm64 Linux.
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_config")]
    private static partial int Configure(int option, nint first, int second, int third);

    // create: whether opening may make a missing file; when false, a missing file fails to open (SQLITE_CANTOPEN).
    public static string ConnectionString(string path, bool pooling, bool create = true) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
        Pooling = pooling,
        // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this is the busy timeout.
        DefaultTimeout = 30,
    }.ToString();

    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        // A cached child connection hands out the command it keeps prepared for this SQL.
        SqliteCommand command;
        if (connection is SqliteChildConnections.ChildConnection child)
        {
            command = child.CommandFor(sql);
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// BEGIN IMMEDIATE takes the write lock up front, so two read-modify-write transactions queue instead of
    /// deadlocking on the lock upgrade.
    /// </summary>
    public static SqliteTransaction BeginWrite(this SqliteConnection connection) => connection.BeginTransaction(deferred: false);

    /// <summary>SQLITE_CANTOPEN: the file is missing (or unreadable).</summary>
    public static bool IsCannotOpen(this SqliteException exception) => exception.SqliteErrorCode == 14;

    public static bool IsUniqueViolation(this SqliteException exception) =>
        exception.SqliteErrorCode == 19 && exception.SqliteExtendedErrorCode is 2067 or 1555;

    /// <summary>
    /// The SQL of "<paramref name="column"/> holds the text of <paramref name="parameter"/>": instr, which matches
    /// literally (no wildcard characters to escape).
    /// </summary>
    public static string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";

    /// <summary>
    /// <see cref="Contains"/> on <paramref name="column"/> in lower case by <see cref="AddFold"/>'s <c>fold</c>: SQLite's
    /// own <c>lower()</c> and LIKE fold A–Z only, and a search's text is lower-cased by .NET (<see cref="ListSearch"/>).
    /// </summary>
    public static string ContainsFolded(string column, string parameter) => Contains($"fold({column})", parameter);

    /// <summary>Gives <paramref name="connection"/> the SQL function <c>fold(text)</c>: the text in lower case by .NET's invariant rules.</summary>
    public static void AddFold(this SqliteConnection connection) =>
        connection.CreateFunction<string?, string?>("fold", text => text?.ToLowerInvariant(), isDeterministic: true);
}
