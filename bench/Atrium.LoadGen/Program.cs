// Open-loop HTTP load (scripts/bench.sh): a fixed arrival rate, latency from each request's intended start.
// dotnet Atrium.LoadGen.dll --url URL [--rate 1000] [--duration 10] [--warmup 0] [--connections 64]
//   [--method GET] [--body JSON] [--header "Name: value"]... [--timeout 10]
// In the body, {unique} becomes a value unique to each request (e.g. a client message id).
using Atrium.LoadGen;

var options = LoadOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var load = new OpenLoop(options);
if (options.Warmup > TimeSpan.Zero)
{
    await load.RunAsync(options.Warmup, cancel.Token);
}

var result = await load.RunAsync(options.Duration, cancel.Token);
Console.Write(result.Render(options));
