using System.Reflection;
using System.Runtime.ExceptionServices;

namespace SaasOnboarding.Testing;

/// <summary>
/// Wraps a port so that a test can run its own code around its calls: a change made by someone else in between,
/// or a failure for one tenant only.
/// </summary>
public static class PortHook
{
    /// <summary>
    /// <paramref name="around"/> gets each call's method name, its arguments and the call itself, and answers what
    /// the call answers (or throws).
    /// </summary>
    public static T Wrap<T>(T target, Func<string, object?[], Func<object?>, object?> around)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, Proxy<T>>();
        var hook = (Proxy<T>)(object)proxy;
        hook.Target = target;
        hook.Around = around;
        return proxy;
    }

    public class Proxy<T> : DispatchProxy
        where T : class
    {
        internal T Target { get; set; } = null!;

        internal Func<string, object?[], Func<object?>, object?> Around { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod!;
            var arguments = args ?? [];
            return Around(method.Name, arguments, () =>
            {
                try
                {
                    return method.Invoke(Target, arguments);
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    ExceptionDispatchInfo.Throw(e.InnerException);
                    throw;
                }
            });
        }
    }
}
