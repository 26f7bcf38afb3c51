using Montu.Bench;

if (args is ["baseline", var manifest])
{
    await BaselineServer.RunAsync(manifest);
    return 0;
}

if (args is ["store", var directory])
{
    await BareUploadServer.RunAsync(directory);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var started = DateTime.UtcNow;
string report;
if (options.Uploads)
{
    var uploads = new List<UploadResults>();
    foreach (var engine in options.Engines)
    {
        uploads.Add(await new UploadRun(options, engine).RunAsync());
    }

    report = UploadReport.Render(options, uploads);
}
else if (options.Realtime)
{
    var realtime = new List<RealtimeResults>();
    foreach (var engine in options.Engines)
    {
        realtime.Add(await new RealtimeRun(options, engine).RunAsync());
    }

    report = RealtimeReport.Render(options, realtime);
}
else if (options.Export)
{
    var exports = new List<ExportResults>();
    foreach (var engine in options.Engines)
    {
        exports.Add(await new ExportRun(options, engine).RunAsync());
    }

    report = ExportRun.Render(options, exports);
}
else if (options.Import)
{
    var imports = new List<ImportResults>();
    foreach (var engine in options.Engines)
    {
        imports.Add(await new ImportRun(options, engine).RunAsync());
    }

    report = ImportRun.Render(options, imports);
}
else if (options.Notify)
{
    var notifies = new List<NotifyResults>();
    foreach (var engine in options.Engines)
    {
        notifies.Add(await new NotifyRun(options, engine).RunAsync());
    }

    report = NotifyRun.Render(options, notifies);
}
else if (options.Analytics)
{
    var analytics = new List<AnalyticsResults>();
    foreach (var engine in options.Engines)
    {
        analytics.Add(await new AnalyticsRun(options, engine).RunAsync());
    }

    report = AnalyticsRun.Render(options, analytics);
}
else if (options.Board)
{
    var boards = new List<BoardResults>();
    foreach (var engine in options.Engines)
    {
        boards.Add(await new BoardRun(options, engine).RunAsync());
    }

    report = BoardRun.Render(options, boards);
}
else
{
    var results = new List<EngineResults>();
    foreach (var engine in options.Engines)
    {
        results.Add(await new BenchRun(options, engine).RunAsync());
    }

    report = Report.Render(options, results);
}

Directory.CreateDirectory(options.ResultsDir);
var file = Path.Combine(options.ResultsDir, $"{started:yyyyMMdd-HHmmss}{options.ResultsSuffix}.md");
await File.WriteAllTextAsync(file, report);
Console.WriteLine(report);
Console.WriteLine($"Written to {file} in {(DateTime.UtcNow - started).TotalSeconds:0} s");
return 0;
