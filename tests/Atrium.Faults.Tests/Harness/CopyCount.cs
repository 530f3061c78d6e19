namespace Atrium.Faults.Tests.Harness;

/// <summary>A row of <see cref="Effects"/>: a value and how many rows hold it.</summary>
internal sealed record CopyCount(string Value, long Copies);
