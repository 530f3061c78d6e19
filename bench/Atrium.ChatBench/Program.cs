// The chat benchmark: 1,000 WebSocket clients against Atrium and against the bare broadcast baseline, in 1:1 rooms and
// in groups, one after the other in the same run (scripts/bench-chat.sh starts both servers and calls this).
using Atrium.ChatBench;

var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

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
    results.Add(await LoadRun.RunAsync(baseline, scenario, options, ct));
    results.Add(await LoadRun.RunAsync(atrium, scenario, options, ct));
}

var report = Report.Render(results, options);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Report))!);
await File.WriteAllTextAsync(options.Report, report, ct);
Console.WriteLine(report);
