using Atrium.Lab.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("atrium-lab");
    config.AddCommand<ListCommand>("list").WithDescription("Lists the experiments.");
    config.AddCommand<RunCommand>("run").WithDescription("Runs an experiment and writes reports/<experiment>.md with its chart.")
        .WithExample("run", "sharding").WithExample("run", "retries", "--quick");
    config.AddCommand<EstimateCommand>("estimate").WithDescription("Back-of-envelope capacity estimate (QPS, storage, bandwidth, cache, servers).")
        .WithExample("estimate", "--preset", "twitter");
});
return await app.RunAsync(args);
