using System.Runtime.CompilerServices;

// The fixtures' own tests check that disposal leaves no process behind, through the servers' internal pid lists.
[assembly: InternalsVisibleTo("Atrium.Testing.Tests")]
