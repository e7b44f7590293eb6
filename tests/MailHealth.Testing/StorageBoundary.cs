using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MailHealth.Testing;

/// <summary>
/// Where the Azure storage SDK stops: the storage project raises its own exceptions at its
/// boundary, so the assemblies above it name no type of the storage SDK and no
/// <c>Azure.RequestFailedException</c> (read from their metadata, so no catch clause or using
/// slips past a text search).
/// </summary>
public static class StorageBoundary
{
    private static readonly string[] StorageSdk = ["Azure.Data.Tables", "Azure.Storage.Queues", "Azure.Storage.Blobs", "Azure.Storage.Common"];

    /// <summary>What <paramref name="assembly"/> references across the boundary: SDK assemblies and the SDK's exception types.</summary>
    public static IReadOnlyList<string> Crossings(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var assemblies = metadata.AssemblyReferences
            .Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .Where(name => StorageSdk.Contains(name, StringComparer.Ordinal));
        var types = metadata.TypeReferences
            .Select(h => metadata.GetTypeReference(h))
            .Select(t => metadata.GetString(t.Namespace) + "." + metadata.GetString(t.Name))
            .Where(name => name is "Azure.RequestFailedException" || name.StartsWith("Azure.Data.Tables.", StringComparison.Ordinal) || name.StartsWith("Azure.Storage.", StringComparison.Ordinal));
        return [.. assemblies.Concat(types).Distinct().Order(StringComparer.Ordinal)];
    }
}
