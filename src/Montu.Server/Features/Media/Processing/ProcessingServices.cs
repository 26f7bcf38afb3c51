using Montu.Server.Infrastructure.Jobs;

namespace Montu.Server.Features.Media.Processing;

public static class ProcessingServices
{
    public static IServiceCollection AddMediaProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProcessingOptions>()
            .Bind(configuration.GetSection(ProcessingOptions.Section))
            .Configure(o =>
            {
                o.FfmpegPath = configuration["FFMPEG_PATH"] is { Length: > 0 } ffmpeg ? ffmpeg : o.FfmpegPath;
                o.FfprobePath = configuration["FFPROBE_PATH"] is { Length: > 0 } ffprobe ? ffprobe : o.FfprobePath;
            })
            .Validate(o => o.Concurrency is >= 1 and <= 64 && o.TimeoutSeconds > 0 && o.MaxPixels > 0,
                "MediaProcessing:Concurrency must be 1 to 64, MediaProcessing:TimeoutSeconds and MediaProcessing:MaxPixels above 0")
            .ValidateOnStart();
        return services
            .AddSingleton<MediaTools>()
            .AddSingleton<MediaProbe>()
            .AddSingleton<MediaRenditions>()
            .AddSingleton<MediaViews>()
            .AddSingleton<IJobHandler, MediaProcessor>();
    }
}
