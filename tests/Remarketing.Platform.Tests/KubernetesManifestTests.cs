using k8s;
using k8s.Models;

namespace Remarketing.Platform.Tests;

/// <summary>
/// deploy/k8s as kubectl renders each overlay, loaded into the Kubernetes client's typed models
/// strictly (an unknown field fails), then held to what a deployment of this system needs: every
/// process with its probes on its health port, requests and limits, a PodDisruptionBudget and an
/// autoscaler; keys and Redis passwords from the signer's own Secret; every reference resolving.
/// No cluster or network is needed.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] Processes = ["auction", "gateway", "inspection", "quote", "transport"];

    /// <summary>What a deployment makes out of band (docs/kubernetes.md): one Secret per signer, the public keys, the ingress certificate.</summary>
    private static readonly HashSet<string> MadeOutOfBand =
        [.. Processes.Select(process => $"remarketing-{process}"), "remarketing-jwks", "remarketing-tls"];

    public static TheoryData<string> Overlays => new() { "local", "production" };

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task EveryRenderedObject_IsAKnownKindWithKnownFields_AndEveryProcessIsDeployedWhole(string overlay)
    {
        var objects = await RenderAsync(overlay);

        var deployments = objects.OfType<V1Deployment>().ToList();
        Assert.Equal(Processes, deployments.Select(deployment => deployment.Metadata.Name).Order());
        var configMaps = objects.OfType<V1ConfigMap>().ToList();
        var services = objects.OfType<V1Service>().ToList();
        foreach (var deployment in deployments)
        {
            var name = deployment.Metadata.Name;
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            var environment = EnvironmentOf(container, configMaps);
            var health = Assert.Single(container.Ports, port => port.Name == "health");
            Assert.Equal($"http://0.0.0.0:{health.ContainerPort}", environment["Kestrel__Endpoints__Health__Url"]);
            Assert.Equal(Port(environment["Kestrel__Endpoints__Grpc__Url"]), Assert.Single(container.Ports, port => port.Name == "grpc").ContainerPort);
            foreach (var (kind, probe) in new[] { ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe), ("startup", container.StartupProbe) })
            {
                Assert.True(probe?.HttpGet is not null, $"{overlay}: {name} has no {kind} probe");
                Assert.Equal("health", probe.HttpGet.Port.Value);
            }
            Assert.Equal("/healthz", container.ReadinessProbe.HttpGet.Path);
            Assert.Equal("/livez", container.LivenessProbe.HttpGet.Path);
            foreach (var resource in new[] { "cpu", "memory" })
            {
                Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{overlay}: {name} requests no {resource}");
                Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{overlay}: {name} has no {resource} limit");
                Assert.True(container.Resources.Requests[resource].ToDecimal() <= container.Resources.Limits[resource].ToDecimal(), $"{overlay}: {name}'s {resource} request is over its limit");
            }

            // The key ring: the public keys and this signer's own Secret, nothing of another signer's.
            var keys = Assert.Single(pod.Volumes, volume => volume.Name == "keys").Projected.Sources;
            Assert.Equal(["remarketing-jwks"], keys.Where(source => source.ConfigMap is not null).Select(source => source.ConfigMap.Name));
            Assert.Equal([$"remarketing-{name}"], keys.Where(source => source.Secret is not null).Select(source => source.Secret.Name));
            var keysMount = Assert.Single(container.VolumeMounts, mount => mount.Name == "keys");
            Assert.True(keysMount.ReadOnlyProperty);
            Assert.Equal(keysMount.MountPath, environment["Auth__KeysDirectory"]);
            if (name != "gateway")
            {
                Assert.Equal(name, environment["Redis__User"]);
                Assert.StartsWith(keysMount.MountPath + "/", environment["Redis__PasswordFile"], StringComparison.Ordinal);
            }

            // Every backend address names a Service of this manifest and one of its ports.
            foreach (var backend in Processes.Where(process => process != "gateway"))
            {
                var address = new Uri(environment[$"Services__{backend}"]);
                var service = Assert.Single(services, service => service.Metadata.Name == address.Host);
                Assert.Contains(service.Spec.Ports, port => port.Port == address.Port);
                Assert.True(Selects(service.Spec.Selector, Deployment(deployments, backend)), $"{overlay}: {address.Host} does not select {backend}'s pods");
            }

            var budget = Assert.Single(objects.OfType<V1PodDisruptionBudget>(), budget => Selects(budget.Spec.Selector.MatchLabels, deployment));
            var autoscaler = Assert.Single(objects.OfType<V2HorizontalPodAutoscaler>(), autoscaler => autoscaler.Spec.ScaleTargetRef.Name == name);
            Assert.Equal("Deployment", autoscaler.Spec.ScaleTargetRef.Kind);
            Assert.InRange(autoscaler.Spec.MinReplicas ?? 1, 1, autoscaler.Spec.MaxReplicas);
            Assert.True(budget.Spec.MinAvailable is null || int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture) < (autoscaler.Spec.MinReplicas ?? 1),
                $"{overlay}: {name}'s disruption budget would block every node drain at its fewest pods");
        }

        foreach (var service in services)
        {
            var selected = Assert.Single(deployments, deployment => Selects(service.Spec.Selector, deployment));
            foreach (var port in service.Spec.Ports)
                Assert.Contains(selected.Spec.Template.Spec.Containers[0].Ports, containerPort => containerPort.Name == port.TargetPort.Value);
        }

        foreach (var ingress in objects.OfType<V1Ingress>())
        {
            foreach (var backend in ingress.Spec.Rules.SelectMany(rule => rule.Http.Paths).Select(path => path.Backend.Service))
            {
                var service = Assert.Single(services, service => service.Metadata.Name == backend.Name);
                Assert.Contains(service.Spec.Ports, port => port.Name == backend.Port.Name);
            }
        }

        // Every Secret or ConfigMap referenced is in the manifest or made out of band, as documented.
        var referenced = deployments.SelectMany(deployment => deployment.Spec.Template.Spec.Volumes.SelectMany(volume => volume.Projected?.Sources ?? []))
            .SelectMany(source => new[] { source.Secret?.Name, source.ConfigMap?.Name })
            .Concat(objects.OfType<V1Ingress>().SelectMany(ingress => ingress.Spec.Tls.Select(tls => tls.SecretName)))
            .OfType<string>();
        Assert.All(referenced, reference => Assert.True(MadeOutOfBand.Contains(reference) || configMaps.Any(map => map.Metadata.Name == reference), $"{overlay}: {reference} is referenced but neither rendered nor made out of band"));
    }

    [Fact]
    public void TheLoader_RefusesAnUnknownField_SoAMisspelledProbeCannotPass()
    {
        const string misspelled = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: quote }
            spec:
              selector: { matchLabels: { app: quote } }
              template:
                metadata: { labels: { app: quote } }
                spec:
                  containers:
                    - name: quote
                      image: remarketing/quote
                      readinesProbe: { httpGet: { path: /healthz, port: health } }
            """;

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(misspelled, strict: true));
    }

    private static async Task<IReadOnlyList<object>> RenderAsync(string overlay)
    {
        var kubectl = Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";
        var (exitCode, rendered, errors) = await Programs.RunAsync(kubectl, "kustomize", Path.Combine(RepositoryLayout.Root, "deploy", "k8s", "overlays", overlay));
        Assert.True(exitCode == 0, $"kubectl kustomize {overlay} failed: {errors}");
        return KubernetesYaml.LoadAllFromString(rendered, strict: true);
    }

    /// <summary>The container's environment as the pod sees it: its ConfigMaps first, then its own env (which wins).</summary>
    private static Dictionary<string, string> EnvironmentOf(V1Container container, IReadOnlyList<V1ConfigMap> configMaps)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var map = Assert.Single(configMaps, map => map.Metadata.Name == source.ConfigMapRef.Name);
            foreach (var (key, value) in map.Data)
                environment[key] = value;
        }
        foreach (var variable in container.Env ?? [])
            environment[variable.Name] = variable.Value;
        return environment;
    }

    private static V1Deployment Deployment(IEnumerable<V1Deployment> deployments, string name) => deployments.Single(deployment => deployment.Metadata.Name == name);

    private static bool Selects(IDictionary<string, string>? selector, V1Deployment deployment) =>
        selector is { Count: > 0 } && selector.All(label => deployment.Spec.Template.Metadata.Labels.TryGetValue(label.Key, out var value) && value == label.Value);

    private static int Port(string url) => new Uri(url).Port;
}
