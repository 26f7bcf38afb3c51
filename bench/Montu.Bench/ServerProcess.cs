using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Montu.Bench;

/// <summary>
/// A server under test, started as a child process pinned to one core, stopped by its PID.
/// Its peak resident memory is read from the kernel (VmHWM), not sampled.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The PID of the process taskset started, which is the server's own: taskset execs it.</summary>
    public int Pid => _process.Id;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static async Task<ServerProcess> StartAsync(string core, IEnumerable<string> command, IReadOnlyDictionary<string, string> environment, string readyPath)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var part in new[] { "-c", core }.Concat(command))
        {
            info.ArgumentList.Add(part);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        info.Environment["API_HOST"] = "127.0.0.1";
        info.Environment["API_PORT"] = port.ToString();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + string.Join(' ', command));
        var log = new List<string>();
        process.OutputDataReceived += (_, e) => Remember(log, e.Data);
        process.ErrorDataReceived += (_, e) => Remember(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, port);
        try
        {
            await server.WaitUntilReadyAsync(readyPath, log);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The command that starts this harness's own binary in another mode (<c>baseline</c>, <c>store</c>).</summary>
    public static string[] HarnessCommand(params string[] arguments)
    {
        var self = Assembly.GetExecutingAssembly().Location;
        return Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [host, self, .. arguments]
            : [Environment.ProcessPath!, .. arguments];
    }

    /// <summary>Peak resident set size of the process so far (or since <see cref="ResetPeakRss"/>), in MiB.</summary>
    public double PeakRssMb() => StatusMb("VmHWM:");

    /// <summary>Resident set size of the process now, in MiB.</summary>
    public double RssMb() => StatusMb("VmRSS:");

    /// <summary>CPU time the process has used so far, user and system, in seconds (<c>/proc/PID/stat</c>, in clock ticks of 1/100 s).</summary>
    public double CpuSeconds()
    {
        // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Starts the peak (<c>VmHWM</c>) over from the present resident set size, so a later peak is that of what ran since.</summary>
    public void ResetPeakRss() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private double StatusMb(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    private async Task WaitUntilReadyAsync(string path, List<string> log)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        // Generous: a server starting on a bulk-loaded show writes every task's document first.
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await client.GetAsync(BaseUrl + path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting up to answer within the client's timeout.
            }

            await Task.Delay(100);
        }

        lock (log)
        {
            throw new InvalidOperationException($"server on port {Port} did not become ready:\n{string.Join('\n', log.TakeLast(40))}");
        }
    }

    private static void Remember(List<string> log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.Add(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
