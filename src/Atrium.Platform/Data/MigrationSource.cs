using System.Reflection;

namespace Atrium.Platform.Data;

/// <summary>
/// A module's migration scripts: SQL files embedded under <c>Data/Migrations/&lt;dialect&gt;/</c> of its
/// assembly, named <c>NNNN_what.sql</c> and applied once each, in name order, at start-up.
/// </summary>
public sealed record MigrationSource(string Module, Assembly Assembly);
