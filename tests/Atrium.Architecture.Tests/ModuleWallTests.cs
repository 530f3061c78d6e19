using System.Reflection;
using NetArchTest.Rules;
using Xunit;

namespace Atrium.Architecture.Tests;

/// <summary>DESIGN.md §2 and §6: modules stand on Platform and never on each other's internals; Platform knows no module.</summary>
public sealed class ModuleWallTests
{
    private static readonly Assembly Platform = typeof(Atrium.Platform.PlatformModule).Assembly;
    private static readonly Assembly[] Modules = [typeof(Atrium.Links.LinksModule).Assembly, typeof(Atrium.Accounts.AccountsModule).Assembly,
        typeof(Atrium.Feed.FeedModule).Assembly, typeof(Atrium.Chat.ChatModule).Assembly];

    [Fact]
    public void Platform_references_no_module()
    {
        var result = Types.InAssembly(Platform).ShouldNot()
            .HaveDependencyOnAny([.. Modules.Select(m => m.GetName().Name!)])
            .GetResult();
        Assert.True(result.IsSuccessful, Describe(result));
    }

    [Fact]
    public void Modules_reference_no_other_module()
    {
        foreach (var module in Modules)
        {
            var others = Modules.Where(m => m != module).Select(m => m.GetName().Name!).ToArray();
            if (others.Length == 0)
            {
                continue;
            }

            var result = Types.InAssembly(module).ShouldNot().HaveDependencyOnAny(others).GetResult();
            Assert.True(result.IsSuccessful, Describe(result));
        }
    }

    [Fact]
    public void Domain_code_does_no_io()
    {
        foreach (var module in Modules)
        {
            var result = Types.InAssembly(module)
                .That().ResideInNamespaceEndingWith(".Domain")
                .ShouldNot().HaveDependencyOnAny(
                    "Dapper", "Microsoft.Data.Sqlite", "System.Data", "Microsoft.AspNetCore", "Microsoft.Extensions.Caching",
                    "Atrium.Platform.Data", "Atrium.Platform.Messaging")
                .GetResult();
            Assert.True(result.IsSuccessful, Describe(result));
        }
    }

    [Fact]
    public void Every_module_has_the_module_shape()
    {
        foreach (var module in Modules)
        {
            var name = module.GetName().Name!; // Atrium.Links
            var shortName = name["Atrium.".Length..];
            var entry = module.GetType($"{name}.{shortName}Module");
            Assert.NotNull(entry);
            Assert.NotNull(entry.GetMethod($"Add{shortName}"));
            Assert.NotNull(entry.GetMethod($"Map{shortName}"));
        }
    }

    private static string Describe(NetArchTest.Rules.TestResult result) =>
        result.IsSuccessful ? "" : "Offending types: " + string.Join(", ", result.FailingTypeNames ?? []);
}
