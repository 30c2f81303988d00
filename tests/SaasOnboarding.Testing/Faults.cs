using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace SaasOnboarding.Testing;

public enum FaultTiming
{
    /// <summary>The call fails without doing anything.</summary>
    Before,

    /// <summary>The call does its work, then fails (a lost answer): the caller cannot know it happened.</summary>
    After,
}

/// <summary>
/// The first call to an armed method of a wrapped port (with <c>when</c>, the first whose arguments it accepts)
/// fails once; every tenant id passed is recorded.
/// </summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<string, (FaultTiming Timing, Func<object?[], bool>? When)> _armed = new();

    public ConcurrentQueue<string> TenantIdsSeen { get; } = new();

    public void Arm(string method, FaultTiming timing, Func<object?[], bool>? when = null) => _armed[method] = (timing, when);

    public void Disarm() => _armed.Clear();

    internal FaultTiming? Take(string method, object?[] args) =>
        _armed.TryGetValue(method, out var armed) && (armed.When?.Invoke(args) ?? true) && _armed.TryRemove(new(method, armed))
            ? armed.Timing
            : null;
}

public sealed class InjectedFaultException(string method) : Exception($"Injected fault in {method}.");

/// <summary>Wraps a port so that a <see cref="FaultPlan"/> can make any of its calls fail.</summary>
public class FaultProxy<T> : DispatchProxy
    where T : class
{
    private T _target = null!;
    private FaultPlan _plan = null!;

    internal void Initialize(T target, FaultPlan plan)
    {
        _target = target;
        _plan = plan;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        foreach (var arg in args ?? [])
        {
            switch (arg)
            {
                case SaasOnboarding.Api.Storage.Tenant tenant:
                    _plan.TenantIdsSeen.Enqueue(tenant.Id);
                    break;
                case SaasOnboarding.Api.Storage.OnboardingJournal journal:
                    _plan.TenantIdsSeen.Enqueue(journal.TenantId);
                    break;
            }
        }

        var timing = _plan.Take(method.Name, args ?? []);
        if (timing == FaultTiming.Before)
        {
            return Fail(method);
        }

        object? result;
        try
        {
            result = method.Invoke(_target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }

        if (timing != FaultTiming.After)
        {
            return result;
        }

        return result switch
        {
            Task task when method.ReturnType.IsGenericType => typeof(FaultProxy<T>)
                .GetMethod(nameof(AfterAsyncOf), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0])
                .Invoke(null, [task, method.Name]),
            Task task => AfterAsync(task, method.Name),
            _ => throw new InjectedFaultException(method.Name),
        };
    }

    private static object Fail(MethodInfo method)
    {
        var fault = new InjectedFaultException(method.Name);
        if (method.ReturnType == typeof(Task))
        {
            return Task.FromException(fault);
        }

        if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0])
                .Invoke(null, [fault])!;
        }

        throw fault;
    }

    private static async Task AfterAsync(Task task, string method)
    {
        await task;
        throw new InjectedFaultException(method);
    }

    private static async Task<TResult> AfterAsyncOf<TResult>(Task<TResult> task, string method)
    {
        await task;
        throw new InjectedFaultException(method);
    }
}

public static class FaultInjection
{
    /// <summary>Replaces the registration of port <typeparamref name="T"/> with a fault proxy around it.</summary>
    public static void WrapWithFaults<T>(this IServiceCollection services, FaultPlan plan)
        where T : class
    {
        var original = services.Last(descriptor => descriptor.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(provider => Wrap(
            (T)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, original.ImplementationType!)),
            plan));
    }

    public static T Wrap<T>(T target, FaultPlan plan)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, FaultProxy<T>>();
        ((FaultProxy<T>)(object)proxy).Initialize(target, plan);
        return proxy;
    }
}
