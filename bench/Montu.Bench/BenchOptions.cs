namespace Montu.Bench;

/// <summary>What one harness run measures, from the command line.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>Measure uploads (<see cref="UploadRun"/>) instead of the task list; on SQLite alone unless <c>--engines</c> says otherwise.</summary>
    public bool Uploads { get; init; }

    /// <summary>Measure the WebSocket channels (<see cref="RealtimeRun"/>) instead of the task list.</summary>
    public bool Realtime { get; init; }

    /// <summary>Measure the CSV export against paging the task list (<see cref="ExportRun"/>) instead.</summary>
    public bool Export { get; init; }

    /// <summary>Measure the CSV import against the seeder's bulk insert (<see cref="ImportRun"/>) instead, with the export of the imported show.</summary>
    public bool Import { get; init; }

    /// <summary>Measure status PATCHes that notify against ones with nobody to notify (<see cref="NotifyRun"/>) instead.</summary>
    public bool Notify { get; init; }

    /// <summary>Project analytics against project stats (bench/README.md, "Analytics").</summary>
    public bool Analytics { get; init; }

    /// <summary>The Kanban board against the task list, and board moves against PATCHes (bench/README.md, "Board").</summary>
    public bool Board { get; init; }

    public IReadOnlyList<string> Engines
    {
        get => field ?? (Uploads ? ["sqlite"] : ["sqlite", "postgres"]);
        init;
    }

    /// <summary>
    /// The show sizes, all seeded on one server per engine. <c>--quick</c> checks that every scenario
    /// runs, not the figures: it measures the 10k show alone, since seeding and filling the
    /// documents of a 100k show takes a minute per engine by itself.
    /// </summary>
    public IReadOnlyList<int> Sizes
    {
        get => field ?? (Quick ? [10_000] : [10_000, 100_000]);
        init;
    }

    /// <summary>A PostgreSQL server connection string; each show gets a fresh database on it.</summary>
    public string? Postgres { get; init; }

    public string ServerDll { get; init; } = "src/Montu.Server/bin/Release/net10.0/Montu.Server.dll";

    public string ResultsDir { get; init; } = "bench/results";

    public int Connections { get; init; } = 50;

    /// <summary>Keep the warmed-up server running until Enter, for profiling by hand, before measuring.</summary>
    public bool Hold { get; init; }

    /// <summary>Whole seconds of load per measured run of Montu (wrk takes no fractions); real and baseline runs alternate.</summary>
    public int RunSeconds => Quick ? 1 : 2;

    /// <summary>The baseline, one handler and no database, holds its rate from the first second on.</summary>
    public int BaselineRunSeconds => 1;

    public int Pairs => Quick ? 1 : 3;

    /// <summary>Rounds of the upload measurements, each the 2 GiB upload beside its copy and then the concurrent uploads.</summary>
    public int UploadRounds => Quick ? 1 : 3;

    /// <summary>Seconds of steady PATCHes per delivery run of <c>--realtime</c>.</summary>
    public int DeliverySeconds => Quick ? 5 : 15;

    /// <summary>Delivery runs of each kind (1 and 500 subscribers, the two instances) in <c>--realtime</c>.</summary>
    public int DeliveryRounds => Quick ? 1 : 2;

    /// <summary>Rounds of <c>--realtime</c>'s API runs, each one without and one with the idle sockets.</summary>
    public int IdleRounds => Quick ? 2 : 4;

    /// <summary>Rounds of <c>--export</c> (and of <c>--import</c>'s reads of the imported show), each one export and one walk of the list.</summary>
    public int ExportRounds => Quick ? 3 : 5;

    /// <summary>What the results file's name ends with, after its time.</summary>
    public string ResultsSuffix => (Uploads ? "-uploads" : Realtime ? "-realtime" : Export ? "-export" : Import ? "-import" : Notify ? "-notify" : Analytics ? "-analytics" : Board ? "-board" : "") + (Quick ? "-quick" : "");

    /// <summary>Seconds of the <see cref="InterleavedRun"/> behind each 100k-versus-10k goal: in 3 s, ratios of like pages stayed within 0.96-1.01.</summary>
    public int ScalingRunSeconds => Quick ? 2 : 3;

    /// <summary>
    /// Seconds of the <see cref="InterleavedRun"/> behind each p99 comparison. A p99 is set by the
    /// machine's slow moments, which fall into one request's slices or the other's: 4 s gives it more of them to average.
    /// </summary>
    public int P99RunSeconds => Quick ? 2 : 4;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--uploads" => options with { Uploads = true },
                "--realtime" => options with { Realtime = true },
                "--export" => options with { Export = true },
                "--import" => options with { Import = true },
                "--notify" => options with { Notify = true },
                "--analytics" => options with { Analytics = true },
                "--board" => options with { Board = true },
                "--hold" => options with { Hold = true },
                "--engines" => options with { Engines = args[++i].Split(',') },
                "--sizes" => options with { Sizes = args[++i].Split(',').Select(int.Parse).ToList() },
                "--postgres" => options with { Postgres = args[++i] },
                "--server" => options with { ServerDll = args[++i] },
                "--out" => options with { ResultsDir = args[++i] },
                "--connections" => options with { Connections = int.Parse(args[++i]) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'. Options: --quick --uploads --realtime --export --import --notify --analytics --board --engines sqlite,postgres --sizes 10000,100000 --postgres CONN --server DLL --out DIR --connections N --hold"),
            };
        }

        if (new[] { options.Uploads, options.Realtime, options.Export, options.Import, options.Notify, options.Analytics, options.Board }.Count(mode => mode) > 1)
        {
            throw new ArgumentException("--uploads, --realtime, --export, --import, --notify, --analytics and --board are separate runs: pass one");
        }

        if (options.Engines.Contains("postgres") && options.Postgres is null)
        {
            throw new ArgumentException("--postgres CONN is required to measure PostgreSQL (bench/run.sh starts a throwaway server)");
        }

        return options;
    }
}
