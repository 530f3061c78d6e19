namespace Atrium.Feed;

/// <summary>The outcome of a follow: done (or already so), refused because it is oneself, or hidden by a block.</summary>
internal enum FollowResult
{
    Done,
    Self,
    Blocked,
}
