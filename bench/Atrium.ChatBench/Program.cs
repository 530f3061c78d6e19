// The chat benchmark (scripts/bench.sh chat): 1,000 WebSocket clients against Atrium and against the bare broadcast
// baseline, in 1:1 rooms and in groups, rounds alternated in the same run. With --idle N it is the memory benchmark
// instead (scripts/bench.sh memory): N idle connected sockets held against one server, whose RSS it reads.
using Atrium.ChatBench;

var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

if (options.Idle > 0)
{
    await IdleRun.RunAsync(options, ct);
    return;
}

var direct = new Scenario("1:1", 2, options.DirectRate);
var groups = new Scenario($"groups of {options.GroupSize}", options.GroupSize, options.GroupRate);

Console.WriteLine($"chat-bench: signing up {options.Clients} users on {options.Atrium}");
var setup = new AtriumSetup(options.Atrium);
await setup.UsersAsync(options.Clients, ct);
await setup.ConversationsAsync(direct, ct);
await setup.ConversationsAsync(groups, ct);

var atrium = new AtriumTarget(options.Atrium, setup);
var baseline = new BaselineTarget(options.Baseline);
var results = new List<RunResult>();
foreach (var scenario in new[] { direct, groups })
{
    // The order flips every round, so a drift of the machine's load does not favour one side.
    for (var round = 1; round <= options.Rounds; round++)
    {
        ITarget[] order = round % 2 == 1 ? [baseline, atrium] : [atrium, baseline];
        foreach (var target in order)
        {
            results.Add(await LoadRun.RunAsync(target, scenario, round, options, ct));
        }
    }
}

var report = Report.Render(results, options);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Report))!);
await File.WriteAllTextAsync(options.Report, report, ct);
Console.WriteLine($"chat-bench: wrote {options.Report}");
