using MailHealth.Functions;
using MailHealth.Monitor;
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
    // The tables and queues are created by a hosted service (StorageStartupService) once the
    // worker runs, retried while storage does not let it: the health says so meanwhile.
    await host.RunAsync();
}

return 0;
