using System.Data.Common;
using Dapper;
using Montu.Server.Data;

namespace Montu.Server.Tests.Data;

/// <summary>
/// What <see cref="Db.InTransactionAsync"/> promises each write, whichever engine runs it. On
/// SQLite, writes queued behind a running one share its transaction (group commit, decision 0011),
/// so these tests hold the first write open until the others are queued: then a failure or a
/// cancellation among them must still touch nothing but itself.
/// </summary>
public sealed class WriteTransactionTests(TestApp app) : IClassFixture<TestApp>, IAsyncLifetime
{
    private readonly string _table = "test_writes_" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync($"CREATE TABLE {_table} (name TEXT PRIMARY KEY)");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_write_that_fails_rolls_back_alone_and_only_committed_writes_run_their_after_commit_actions()
    {
        var held = new TaskCompletionSource();
        var first = Write("first", held.Task, fail: false, out var firstCommitted);
        var failing = Write("failing", Task.CompletedTask, fail: true, out var failingCommitted);
        var last = Write("last", Task.CompletedTask, fail: false, out var lastCommitted);
        held.SetResult();

        Assert.Equal("first", await first);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("failing went wrong after its insert", error.Message);
        Assert.Equal("last", await last);
        Assert.Equal(["first", "last"], await Names());
        Assert.True(firstCommitted());
        Assert.False(failingCommitted());
        Assert.True(lastCommitted());
    }

    [Fact]
    public async Task A_write_whose_request_is_cancelled_while_it_waits_is_never_run()
    {
        var held = new TaskCompletionSource();
        var first = Write("held", held.Task, fail: false, out _);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var abandoned = app.Db.InTransactionAsync(tx => Insert(tx, "abandoned"), cancelled.Token);
        held.SetResult();

        Assert.Equal("held", await first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(["held"], await Names());
    }

    [Fact]
    public async Task Many_concurrent_writes_are_each_committed_once()
    {
        var names = Enumerable.Range(0, 200).Select(i => $"w{i:000}").ToList();

        var written = await Task.WhenAll(names.Select(name => app.Db.InTransactionAsync(tx => Insert(tx, name), CancellationToken.None)));

        Assert.Equal(names, written);
        Assert.Equal(names, await Names());
    }

    /// <summary>Inserts <paramref name="name"/>, waits for <paramref name="until"/> inside the transaction, then returns or throws.</summary>
    private Task<string> Write(string name, Task until, bool fail, out Func<bool> committed)
    {
        var ran = false;
        committed = () => ran;
        return app.Db.InTransactionAsync(async tx =>
        {
            app.Db.AfterCommit(tx, () => ran = true);
            var inserted = await Insert(tx, name);
            await until;
            return fail ? throw new InvalidOperationException($"{name} went wrong after its insert") : inserted;
        }, CancellationToken.None);
    }

    private async Task<string> Insert(DbTransaction tx, string name)
    {
        await tx.Connection!.ExecuteAsync($"INSERT INTO {_table} (name) VALUES (@name)", new { name }, tx);
        return name;
    }

    private async Task<List<string>> Names()
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>($"SELECT name FROM {_table} ORDER BY name")).ToList();
    }
}
