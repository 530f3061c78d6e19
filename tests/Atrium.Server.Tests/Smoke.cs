namespace Atrium.Server.Tests;
