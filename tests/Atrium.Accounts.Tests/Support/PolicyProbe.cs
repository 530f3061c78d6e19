using System.Globalization;
using System.Security.Claims;
using Atrium.Platform.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Atrium.Accounts.Tests.Support;

/// <summary>
/// Test-only endpoints guarded by the two policies other modules use, answering who the caller is:
/// <c>/probe/signed-in</c> and <c>/probe/optional</c>.
/// </summary>
internal sealed class PolicyProbe : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map("/probe", branch =>
        {
            branch.UseRouting();
            branch.UseAuthentication();
            branch.UseAuthorization();
            branch.UseEndpoints(endpoints =>
            {
                endpoints.MapGet("/signed-in", Who).RequireAuthorization(AuthPolicies.SignedIn);
                endpoints.MapGet("/optional", Who).RequireAuthorization(AuthPolicies.SignedInOrAnonymous);
            });
        });
        next(app);
    };

    private static string Who(ClaimsPrincipal user) =>
        user.UserId()?.ToString(CultureInfo.InvariantCulture) ?? "anonymous";
}
