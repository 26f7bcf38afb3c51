using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Montu.Server.Tests;

/// <summary>
/// The built server (copied beside the tests) as a real process, started with
/// <c>dotnet Montu.Server.dll</c> in <c>directory</c> on a free port, for what only a process shows:
/// a first run from a directory of one's own, a kill in the middle of a request. The test's own
/// server settings (<c>MONTU_DATABASE</c>, <c>MONTU_DATA_DIR</c>, ...) are not passed on; a test gives
/// the ones it wants. Stopped by its PID on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process, int port, string host)
    {
        _process = process;
        Port = port;
        Address = new Uri($"http://{host}:{port}");
    }

    public int Port { get; }

    public Uri Address { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until it listens (its log says where the API is, and, with <c>--demo</c>, the demo sign-in).</summary>
    public static async Task<ServerProcess> StartAsync(string directory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Montu.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var port = FreePort();
        start.Environment["API_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var inherited in new[] { "MONTU_DATABASE", "MONTU_DATA_DIR", "MONTU_DEMO", "API_HOST", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT" })
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var host = environment?.GetValueOrDefault("API_HOST") is { } listening && listening != "0.0.0.0" ? listening : "localhost";
        var server = new ServerProcess(Process.Start(start)!, port, host);
        server._process.OutputDataReceived += (_, line) => server.Append(line.Data);
        server._process.ErrorDataReceived += (_, line) => server.Append(line.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        // The demo sign-in is the last line of a demo start, the addresses the last of any other.
        var last = args.Contains("--demo") ? "Demo mode: sign in" : "API at ";
        while (!server.Log.Contains(last, StringComparison.Ordinal))
        {
            if (server._process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("The server did not start:\n" + server.Log);
            }

            await Task.Delay(100);
        }

        return server;
    }

    /// <summary>Asks the process to stop, as a service manager does (SIGTERM), and returns its exit code once it has.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once, as <c>kill -9</c> does (SIGKILL): no shutdown, no cleanup, nothing flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
