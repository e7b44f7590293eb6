using MailHealth.Cli;
using MailHealth.Cli.Rendering;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

await using var output = StandardOutput.Over(Console.OpenStandardOutput());
return await CliApp.RunAsync(args, output, Console.Error, errorIsTerminal: !Console.IsErrorRedirected, cancel.Token);
