using Microsoft.Data.Sqlite;

namespace SaasOnboarding.Api.Storage.Embedded;

/// <summary>
/// A bounded cache of open connections to child databases, each keeping its prepared statements. Parsing and
/// planning a statement is most of SQLite's work in a tenant-scoped read, and
/// Microsoft.Data.Sqlite neither keeps statements past a command nor bounds its pools: it keeps one pool per file,
/// for ever. Here at most <see cref="MaxIdle"/> connections wait idle in all (each holds three file descriptors:
/// the file, its WAL and its shared memory); over that bound a tenant's spare connections (beyond its first) are
/// closed first, then those of the least recently used tenants. One tenant keeps at most
/// <see cref="IdlePerTenant"/>; a burst beyond that opens and closes connections as before.
/// </summary>
/// <remarks>
/// <c>prepare</c>, when given, runs on the first connection opened for a file (again after the file left the cache),
/// before the connection is handed out: the tenant store upgrades the file's schema there.
/// </remarks>
internal sealed class SqliteChildConnections(
    int maxIdle = SqliteChildConnections.DefaultMaxIdle,
    Func<SqliteConnection, string, CancellationToken, Task>? prepare = null) : IDisposable
{
    /// <summary>
    /// Enough for reads spread over about a thousand tenants to stay near one tenant's speed, at a bounded memory
    /// cost (an idle connection is kept small by the memory settings in <see cref="Sqlite"/>).
    /// Storage:Embedded:MaxIdleConnections sets it.
    /// </summary>
    public const int DefaultMaxIdle = 1024;
    public const int IdlePerTenant = 4;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<Slot>> _slots = new(StringComparer.Ordinal);
    private readonly LinkedList<Slot> _recent = new();
    private int _idle;
    private bool _disposed;

    public int MaxIdle { get; } = maxIdle;

    /// <summary>
    /// An open connection to the file at <paramref name="path"/>: an idle one if there is one, else a new one.
    /// Disposing it hands it back. A missing file fails to open (SQLITE_CANTOPEN): this never creates a file.
    /// </summary>
    public async Task<SqliteConnection> RentAsync(string path, CancellationToken cancellationToken)
    {
        Slot slot;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_slots.TryGetValue(path, out var node))
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                if (node.Value.Idle.TryPop(out var idle))
                {
                    _idle--;
                    return idle;
                }
            }
            else
            {
                node = _recent.AddFirst(new Slot(path, Sqlite.ConnectionString(path, pooling: false, create: false)));
                _slots.Add(path, node);
            }

            slot = node.Value;
        }

        var connection = new ChildConnection(this, slot);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (prepare is not null && !slot.Prepared)
            {
                await prepare(connection, slot.Path, cancellationToken);
                slot.Prepared = true;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            ForgetIfUnused(slot);
            throw;
        }

        return connection;
    }

    /// <summary>Closes every idle connection to the file; those in use close when handed back. Before a delete.</summary>
    public void Forget(string path)
    {
        Slot? slot = null;
        lock (_lock)
        {
            if (_slots.TryGetValue(path, out var node))
            {
                slot = Leave(node);
            }
        }

        slot?.CloseIdle();
    }

    public void Dispose()
    {
        List<Slot> slots;
        lock (_lock)
        {
            _disposed = true;
            slots = [.. _recent];
            foreach (var slot in slots)
            {
                slot.Forgotten = true;
            }

            _slots.Clear();
            _recent.Clear();
            _idle = 0;
        }

        foreach (var slot in slots)
        {
            slot.CloseIdle();
        }
    }

    /// <summary>A file that failed to open leaves no slot behind, unless other connections to it are kept.</summary>
    private void ForgetIfUnused(Slot slot)
    {
        lock (_lock)
        {
            if (!slot.Forgotten && slot.Idle.Count == 0 && _slots.TryGetValue(slot.Path, out var node))
            {
                Leave(node);
            }
        }
    }

    /// <summary>Keeps the connection if its file is still cached and has room, in a clean state; else closes it.</summary>
    private bool TryKeep(ChildConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open || connection.InTransaction)
        {
            return false;
        }

        List<Slot>? evicted = null;
        ChildConnection? spare = null;
        lock (_lock)
        {
            var slot = connection.Slot;
            if (_disposed || slot.Forgotten || slot.Idle.Count >= IdlePerTenant)
            {
                return false;
            }

            slot.Idle.Push(connection);
            _idle++;

            // Over the bound, another tenant's spare connection (beyond its first) goes first; only then the least
            // recently used tenants with all theirs. Evicting tenants first, reads cycling over about as many tenants
            // as the bound would miss on nearly every request: the tenant pushed out is the next one asked for, and its
            // return pushes out the next.
            for (var node = _idle > MaxIdle ? _recent.Last : null; node is not null; node = node.Previous)
            {
                if (node.Value != slot && node.Value.Idle.Count > 1)
                {
                    spare = node.Value.Idle.Pop();
                    _idle--;
                    break;
                }
            }

            while (_idle > MaxIdle && _recent.Last is { } oldest)
            {
                (evicted ??= []).Add(Leave(oldest));
            }
        }

        // Closed outside the lock. The connection just kept is never among them: its tenant is the most recent.
        spare?.Close();
        foreach (var slot in evicted ?? [])
        {
            slot.CloseIdle();
        }

        return true;
    }

    /// <summary>Under the lock: the slot leaves the cache; nothing goes back into it, and its idle connections are the caller's to close.</summary>
    private Slot Leave(LinkedListNode<Slot> node)
    {
        _recent.Remove(node);
        _slots.Remove(node.Value.Path);
        node.Value.Forgotten = true;
        _idle -= node.Value.Idle.Count;
        return node.Value;
    }

    internal sealed class Slot(string path, string connectionString)
    {
        public string Path { get; } = path;

        public string ConnectionString { get; } = connectionString;

        /// <summary>Guarded by the owner's lock.</summary>
        public Stack<ChildConnection> Idle { get; } = new();

        /// <summary>Whether the owner's prepare step ran for this file; set once, by the first connection that did it.</summary>
        public volatile bool Prepared;

        /// <summary>Set under the owner's lock: the slot left the cache, so nothing goes back into it.</summary>
        public bool Forgotten { get; set; }

        public void CloseIdle()
        {
            // Forgotten is set, so no connection is pushed any more: the stack can be drained outside the lock.
            while (Idle.TryPop(out var connection))
            {
                connection.Close();
            }
        }
    }

    /// <summary>
    /// A connection that goes back to the cache when disposed, and keeps one prepared command per SQL text.
    /// <see cref="Sqlite.Command"/> hands out those commands; their disposal only makes them ready for reuse.
    /// </summary>
    internal sealed class ChildConnection : SqliteConnection
    {
        /// <summary>Statements beyond this many (SQL built per call, such as IN lists) are not kept.</summary>
        private const int MaxStatements = 32;

        private readonly SqliteChildConnections _owner;
        private readonly Dictionary<string, KeptCommand> _statements = new(StringComparer.Ordinal);
        private SqliteTransaction? _transaction;

        internal ChildConnection(SqliteChildConnections owner, Slot slot)
            : base(slot.ConnectionString)
        {
            _owner = owner;
            Slot = slot;

            // Registered before the open, so before any statement: the tenant databases' searches call fold().
            this.AddFold();
        }

        internal Slot Slot { get; }

        /// <summary>A transaction still open (neither committed nor rolled back): such a connection is not kept.</summary>
        internal bool InTransaction => _transaction?.Connection is not null;

        public override SqliteTransaction BeginTransaction(System.Data.IsolationLevel isolationLevel, bool deferred) =>
            _transaction = base.BeginTransaction(isolationLevel, deferred);

        /// <summary>The command kept for this SQL, or a new one (kept when there is room).</summary>
        public SqliteCommand CommandFor(string sql)
        {
            if (_statements.TryGetValue(sql, out var kept))
            {
                kept.Parameters.Clear();
                return kept;
            }

            if (_statements.Count >= MaxStatements)
            {
                var command = CreateCommand();
                command.CommandText = sql;
                return command;
            }

            kept = new KeptCommand { Connection = this, CommandText = sql, CommandTimeout = DefaultTimeout };
            try
            {
                // Explicitly: a command prepared only by executing it keeps its statements only when a reader ran
                // through every statement, and readers are disposed early (a page's last row).
                kept.Prepare();
            }
            catch
            {
                kept.Release();
                throw;
            }

            _statements.Add(sql, kept);
            return kept;
        }

        public override void Close()
        {
            foreach (var command in _statements.Values)
            {
                command.Release();
            }

            _statements.Clear();
            base.Close();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _owner.TryKeep(this))
            {
                return;
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A command whose prepared statements outlive its use: disposing it is a no-op until released.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        private bool _released;

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
            }
        }
    }
}
