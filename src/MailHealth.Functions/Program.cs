using MailHealth.Functions;
using MailHealth.Monitor;
using MailHealth.Storage.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

IHost host;
try
{
    host = MailHealthFunctionsApp.Build(args);
}
catch (Exception e) when (StartupErrors.Of(e) is { Count: > 0 } errors)
{
    // One line per bad setting, naming its path: the host shows the worker's stderr.
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync(error);
    }

    return 1;
}

using (host)
{
    // Idempotent: the tables and queues exist before the first trigger fires.
    await host.Services.GetRequiredService<StorageInitializer>().InitializeAsync();
    await host.RunAsync();
}

return 0;
