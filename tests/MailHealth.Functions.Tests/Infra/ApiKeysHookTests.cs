using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>
/// infra/hooks/api-keys.sh, azd's postprovision hook, run by sh against a stand-in for the Azure CLI
/// (Key Vault cannot run here): a vault kept as files, each call's arguments recorded. The hook
/// gives each missing key secret a random value, never overwrites one, never shows a value, and
/// creates nothing when the vault will not say whether a secret exists.
/// </summary>
public sealed partial class ApiKeysHookTests : IDisposable
{
    private const string Secrets = "api-read-key-0 api-read-key-1 api-admin-key-0 api-admin-key-1";

    // The stand-in `az`: secret show/set on files under $FAKE_VAULT, `rest` recorded; every call's argv logged.
    private const string FakeAz = """
        #!/bin/sh
        echo "$*" >>"$FAKE_VAULT/argv.log"
        name=; file=
        prev=
        for arg in "$@"; do
          case "$prev" in --name) name="$arg" ;; --file) file="$arg" ;; esac
          prev="$arg"
        done
        case "$1 $2 $3" in
          "keyvault secret show")
            if [ -f "$FAKE_VAULT/forbidden" ]; then echo "ERROR: (Forbidden) Caller is not authorized to perform action on resource." >&2; exit 1; fi
            if [ -f "$FAKE_VAULT/$name" ]; then exit 0; fi
            echo "ERROR: (SecretNotFound) A secret with (name/id) $name was not found in this key vault." >&2; exit 3 ;;
          "keyvault secret set")
            cp "$file" "$FAKE_VAULT/$name" ;;
          rest*)
            echo "$*" >>"$FAKE_VAULT/rest.log" ;;
          *)
            echo "unexpected: $*" >&2; exit 2 ;;
        esac
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("api-keys-hook-");

    private string Vault => Path.Combine(_root.FullName, "vault");

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<(int ExitCode, string Output)> RunHookAsync()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_root.FullName, "bin")).FullName;
        Directory.CreateDirectory(Vault);
        var az = Path.Combine(bin, "az");
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the hook and its stand-in are POSIX shell scripts");
        }

        await File.WriteAllTextAsync(az, FakeAz.Replace("\r", "", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Bicep.Infra, "hooks", "api-keys.sh"));
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["FAKE_VAULT"] = Vault;
        start.Environment["AZURE_KEY_VAULT_NAME"] = "kv-mh-test";
        start.Environment["API_KEY_SECRETS"] = Secrets;
        start.Environment["AZURE_SUBSCRIPTION_ID"] = "00000000-0000-0000-0000-000000000001";
        start.Environment["AZURE_RESOURCE_GROUP"] = "rg-test";
        start.Environment["AZURE_FUNCTION_APP_NAME"] = "func-mailhealth-test";
        start.Environment["MAILHEALTH_HOOK_ATTEMPTS"] = "2";
        start.Environment["MAILHEALTH_HOOK_PAUSE"] = "0";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    private Dictionary<string, string> Stored() =>
        Secrets.Split(' ').Where(name => File.Exists(Path.Combine(Vault, name))).ToDictionary(name => name, name => File.ReadAllText(Path.Combine(Vault, name)));

    private string Log(string name) => File.Exists(Path.Combine(Vault, name)) ? File.ReadAllText(Path.Combine(Vault, name)) : "";

    [Fact]
    public async Task FirstRun_GivesEachSecretItsOwnRandomKey_NeverShowingIt_AndRefreshesTheApp()
    {
        var (exitCode, output) = await RunHookAsync();

        Assert.True(exitCode == 0, output);
        var stored = Stored();
        Assert.Equal(Secrets.Split(' ').Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored.Values, value => Assert.Matches(HexKey(), value));
        Assert.Equal(4, stored.Values.Distinct(StringComparer.Ordinal).Count());
        Assert.All(stored.Values, value => Assert.DoesNotContain(value, output + Log("argv.log"), StringComparison.Ordinal));
        Assert.Contains("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-test/providers/Microsoft.Web/sites/func-mailhealth-test/config/configreferences/appsettings/refresh", Log("rest.log"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterRuns_LeaveEverySecretAsItIs_ARotatedOneIncluded()
    {
        Assert.Equal(0, (await RunHookAsync()).ExitCode);
        await File.WriteAllTextAsync(Path.Combine(Vault, "api-admin-key-1"), "rotated-by-hand-0123456789abcdef");
        var before = Stored();
        File.Delete(Path.Combine(Vault, "rest.log"));

        var (exitCode, output) = await RunHookAsync();

        Assert.True(exitCode == 0, output);
        Assert.Equal(before, Stored());
        Assert.Equal("", Log("rest.log"));
        Assert.Equal(4, Regex.Matches(output, "exists in kv-mh-test; left as it is").Count);
    }

    [Fact]
    public async Task AVaultThatWillNotSay_FailsTheHook_AndNothingIsCreated()
    {
        Directory.CreateDirectory(Vault);
        await File.WriteAllTextAsync(Path.Combine(Vault, "forbidden"), "");

        var (exitCode, output) = await RunHookAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("cannot read secret api-read-key-0", output, StringComparison.Ordinal);
        Assert.Empty(Stored());
        Assert.DoesNotContain("keyvault secret set", Log("argv.log"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexKey();
}
