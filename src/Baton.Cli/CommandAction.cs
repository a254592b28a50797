using Baton.Chains;
using Baton.Runs;

namespace Baton.Cli;

/// <summary>Turns the exceptions that mean "bad input" into a clear message and exit code 2.</summary>
public static class CommandAction
{
    public static async Task<int> Run(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ChainValidationException e)
        {
            foreach (var error in e.Errors)
                Console.Error.WriteLine(error);
            return ExitCodes.InvalidInput;
        }
        catch (Exception e)
            when (e
                    is UsageException
                        or Server.DataFolderUnreachableException
                        or RunNotFoundException
                        or InputException
                        or UnsafePathException
                        or DecisionRefusedException
                        or Import.MentikoImportException
            )
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (IOException e) when (DiskSpace.IsFull(e))
        {
            Console.Error.WriteLine(
                $"error: the disk is full ({e.Message}); nothing was written: free space and try again"
            );
            return ExitCodes.Failed;
        }
        catch (RunLockedException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
