using System.Globalization;
using System.Threading.RateLimiting;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Atrium.Platform.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>Rejections answer 429 ProblemDetails with <c>Retry-After</c> (seconds) when the limiter knows it.</summary>
    internal static IServiceCollection AddAtriumRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = static async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new()
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"Rate limit exceeded; retry in {seconds} s.",
                    },
                });
            };
        });

    /// <summary>
    /// A token bucket per client (the signed-in user, else the client address): <paramref name="permitsPerMinute"/>
    /// sustained, bursts up to <paramref name="burst"/>, no queueing (excess answers 429 at once).
    /// Anonymous callers get <paramref name="anonymous"/> instead when given (tighter, usually).
    /// </summary>
    public static RateLimiterOptions AddPerClientTokenBucket(
        this RateLimiterOptions options, string policy, int permitsPerMinute, int burst, (int PermitsPerMinute, int Burst)? anonymous = null) =>
        options.AddPolicy(policy, context =>
        {
            var (perMinute, size) = anonymous is { } limit && context.User.UserId() is null ? limit : (permitsPerMinute, burst);
            return context.TokenBucketPartition(policy, ClientIdentity.Of(context), TokenBucket(perMinute, size));
        });

    /// <summary>
    /// The token bucket of <paramref name="client"/> under <paramref name="policy"/>: in this process on one node,
    /// in Redis when <c>ConnectionStrings:Redis</c> is set, so the limit holds across nodes (failing open while
    /// Redis is away).
    /// </summary>
    public static RateLimitPartition<string> TokenBucketPartition(
        this HttpContext context, string policy, string client, TokenBucketRateLimiterOptions bucket) =>
        context.RequestServices.GetService<DistributedRateLimits>() is { } distributed
            ? distributed.TokenBucket(policy, client, bucket)
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => bucket);

    /// <summary>A bucket refilled evenly: once a second at 60+ per minute, else one token at a time.</summary>
    private static TokenBucketRateLimiterOptions TokenBucket(int permitsPerMinute, int burst)
    {
        var perMinute = Math.Max(1, permitsPerMinute);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = perMinute >= 60 ? perMinute / 60 : 1,
            ReplenishmentPeriod = perMinute >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
