using Microsoft.Extensions.DependencyInjection;
using Montu.Server.Infrastructure.Storage;

namespace Montu.Server.Tests.Infrastructure.Storage;

/// <summary>
/// What every backend of <see cref="IFileStore"/> promises, run on the server's own store as its
/// settings make it: <see cref="LocalFileStoreTests"/> on a local directory, <see cref="S3FileStoreTests"/>
/// on a bucket of the S3 test server. Each test works under a folder of its own.
/// </summary>
public abstract class FileStoreContractTests<TApp>(TApp app) where TApp : TestApp
{
    /// <summary>Longer than two parts of an S3 multipart upload, ending in a short one.</summary>
    private const long Large = 2L * S3FileStore.PartSize + 12345;

    /// <summary>Where this test keeps its files.</summary>
    protected string Folder { get; } = "contract-" + Guid.NewGuid().ToString("N")[..12] + "/";

    protected TApp App => app;

    protected IFileStore Store => app.Services.GetRequiredService<IFileStore>();

    protected string Key(string name) => Folder + name;

    [StorageFact]
    public async Task A_written_file_reads_back_byte_for_byte_with_its_size()
    {
        var size = await Store.WriteAsync(Key("plate.exr"), new PatternStream(100_000), default);

        Assert.Equal(100_000, size);
        Assert.Equal(100_000, (await Store.FindAsync(Key("plate.exr"), default))?.Size);
        await using var read = await Store.OpenReadAsync(Key("plate.exr"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, 100_000);
    }

    [StorageFact]
    public async Task A_file_longer_than_one_upload_part_reads_back_byte_for_byte()
    {
        var size = await Store.WriteAsync(Key("render.mov"), new PatternStream(Large), default);

        Assert.Equal(Large, size);
        Assert.Equal(Large, (await Store.FindAsync(Key("render.mov"), default))?.Size);
        await using var read = await Store.OpenReadAsync(Key("render.mov"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, Large);
    }

    [StorageFact]
    public async Task An_empty_file_is_stored_and_reads_back_empty()
    {
        var size = await Store.WriteAsync(Key("empty.txt"), new PatternStream(0), default);

        Assert.Equal(0, size);
        Assert.Equal(0, (await Store.FindAsync(Key("empty.txt"), default))?.Size);
        await using var read = await Store.OpenReadAsync(Key("empty.txt"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, 0);
    }

    [StorageFact]
    public async Task A_byte_range_reads_only_those_bytes()
    {
        await Store.WriteAsync(Key("clip.mp4"), new PatternStream(100_000), default);

        await using (var middle = await Store.OpenReadAsync(Key("clip.mp4"), 1000, 5000, default))
        {
            await PatternStream.AssertHolds(middle!, 1000, 5000);
        }

        await using (var tail = await Store.OpenReadAsync(Key("clip.mp4"), 99_000, null, default))
        {
            await PatternStream.AssertHolds(tail!, 99_000, 1000);
        }

        await using (var last = await Store.OpenReadAsync(Key("clip.mp4"), 99_999, 1, default))
        {
            await PatternStream.AssertHolds(last!, 99_999, 1);
        }

        await using (var none = await Store.OpenReadAsync(Key("clip.mp4"), 500, 0, default))
        {
            await PatternStream.AssertHolds(none!, 500, 0);
        }
    }

    [StorageFact]
    public async Task A_range_starting_past_the_end_reads_nothing()
    {
        await Store.WriteAsync(Key("clip.mp4"), new PatternStream(1000), default);

        await using var read = await Store.OpenReadAsync(Key("clip.mp4"), 1000, null, default);

        await PatternStream.AssertHolds(read!, 1000, 0);
    }

    [StorageFact]
    public async Task A_missing_file_is_not_found_and_opens_as_null()
    {
        Assert.Null(await Store.FindAsync(Key("nothing.exr"), default));
        Assert.Null(await Store.OpenReadAsync(Key("nothing.exr"), 0, null, default));
        Assert.Null(await Store.OpenReadAsync(Key("nothing.exr"), 10, 10, default));
    }

    [StorageFact]
    public async Task Writing_to_a_taken_key_fails_and_keeps_the_first_file()
    {
        await Store.WriteAsync(Key("v001.exr"), new PatternStream(1000), default);

        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(Key("v001.exr"), new PatternStream(50), default));

        Assert.Equal(1000, (await Store.FindAsync(Key("v001.exr"), default))?.Size);
        await using var read = await Store.OpenReadAsync(Key("v001.exr"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, 1000);
    }

    [StorageFact]
    public async Task A_write_whose_stream_fails_within_the_first_part_leaves_nothing()
    {
        var failing = new PatternStream(100_000) { FailAfter = 40_000 };

        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(Key("dropped.mov"), failing, default));

        await AssertNothingUnder(Key("dropped.mov"));
    }

    [StorageFact]
    public async Task A_write_whose_stream_fails_after_a_stored_part_leaves_nothing()
    {
        var failing = new PatternStream(Large) { FailAfter = S3FileStore.PartSize + 4096 };

        await Assert.ThrowsAsync<IOException>(() => Store.WriteAsync(Key("dropped.mov"), failing, default));

        await AssertNothingUnder(Key("dropped.mov"));
    }

    [StorageFact]
    public async Task A_cancelled_write_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource();
        var content = new PatternStream(Large) { OnReaching = (S3FileStore.PartSize + 4096, cancel.Cancel) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WriteAsync(Key("cancelled.mov"), content, cancel.Token));

        await AssertNothingUnder(Key("cancelled.mov"));
    }

    [StorageFact]
    public async Task Moving_puts_the_file_at_the_new_key_and_removes_the_old_one()
    {
        await Store.WriteAsync(Key("uploads/tmp-1"), new PatternStream(70_000), default);

        await Store.MoveAsync(Key("uploads/tmp-1"), Key("media/sh020/v003/beauty.exr"), default);

        Assert.Null(await Store.FindAsync(Key("uploads/tmp-1"), default));
        Assert.Equal(70_000, (await Store.FindAsync(Key("media/sh020/v003/beauty.exr"), default))?.Size);
        await using var read = await Store.OpenReadAsync(Key("media/sh020/v003/beauty.exr"), 0, null, default);
        await PatternStream.AssertHolds(read!, 0, 70_000);
    }

    [StorageFact]
    public async Task Moving_onto_a_taken_key_fails_and_keeps_both_files()
    {
        await Store.WriteAsync(Key("uploads/tmp-2"), new PatternStream(10), default);
        await Store.WriteAsync(Key("media/taken.exr"), new PatternStream(20), default);

        await Assert.ThrowsAsync<IOException>(() => Store.MoveAsync(Key("uploads/tmp-2"), Key("media/taken.exr"), default));

        Assert.Equal(10, (await Store.FindAsync(Key("uploads/tmp-2"), default))?.Size);
        Assert.Equal(20, (await Store.FindAsync(Key("media/taken.exr"), default))?.Size);
    }

    [StorageFact]
    public async Task Moving_a_missing_file_fails_and_creates_nothing()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.MoveAsync(Key("uploads/never"), Key("media/never.exr"), default));

        Assert.Null(await Store.FindAsync(Key("media/never.exr"), default));
    }

    [StorageFact]
    public async Task Deleting_removes_the_file_and_deleting_it_again_is_harmless()
    {
        await Store.WriteAsync(Key("old.exr"), new PatternStream(10), default);

        await Store.DeleteAsync(Key("old.exr"), default);
        await Store.DeleteAsync(Key("old.exr"), default);

        Assert.Null(await Store.FindAsync(Key("old.exr"), default));
        Assert.Empty(await List(Folder));
    }

    [StorageFact]
    public async Task Listing_gives_the_files_whose_key_starts_with_the_prefix_and_their_sizes()
    {
        await Store.WriteAsync(Key("thumbs/a/1.jpg"), new PatternStream(1), default);
        await Store.WriteAsync(Key("thumbs/a/2.jpg"), new PatternStream(2), default);
        await Store.WriteAsync(Key("thumbs/ab/3.jpg"), new PatternStream(3), default);
        await Store.WriteAsync(Key("media/4.exr"), new PatternStream(4), default);

        Assert.Equal([(Key("thumbs/a/1.jpg"), 1L), (Key("thumbs/a/2.jpg"), 2L)], await List(Key("thumbs/a/")));
        Assert.Equal([(Key("thumbs/a/1.jpg"), 1L), (Key("thumbs/a/2.jpg"), 2L), (Key("thumbs/ab/3.jpg"), 3L)], await List(Key("thumbs/a")));
        Assert.Equal(4, (await List(Folder)).Count);
        Assert.Empty(await List(Key("nothing/")));
    }

    [StorageFact]
    public async Task Keys_that_could_leave_the_store_are_refused()
    {
        foreach (var key in new[] { "../escape.exr", "/absolute.exr", Key("a//b.exr"), Key("./b.exr"), Key("a/../../b.exr"), Key(@"a\b.exr"), "" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.WriteAsync(key, new PatternStream(1), default));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.FindAsync(key, default));
        }
    }

    /// <summary>What the backend keeps of writes in progress under <paramref name="folder"/>: temporary files, unfinished uploads.</summary>
    protected abstract Task<IReadOnlyList<string>> WritesInProgress(string folder);

    private async Task AssertNothingUnder(string key)
    {
        Assert.Null(await Store.FindAsync(key, default));
        Assert.Null(await Store.OpenReadAsync(key, 0, null, default));
        Assert.Empty(await List(Folder));
        Assert.Empty(await WritesInProgress(Folder));
    }

    private async Task<List<(string Key, long Size)>> List(string prefix) =>
        (await Store.ListAsync(prefix, default).ToListAsync()).Select(file => (file.Key, file.Size)).Order().ToList();
}
