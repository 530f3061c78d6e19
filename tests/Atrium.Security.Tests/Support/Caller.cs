namespace Atrium.Security.Tests.Support;

/// <summary>Who sends a hostile request: nobody, the owner of the fixture's objects, or another signed-in user.</summary>
public enum Caller
{
    Anonymous,
    Owner,
    Stranger,
}
