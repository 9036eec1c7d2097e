namespace DevSpaces.Helper.Protocol;

/// <summary>A program to run in the container with its standard streams carried over the connection.</summary>
/// <param name="Command">The program (looked up on the container's PATH) and its arguments.</param>
/// <param name="WorkingDirectory">Where it runs; empty: the helper's own working directory (the container's).</param>
/// <param name="Environment">Variables set on top of the container's environment (<c>NAME=value</c>).</param>
public sealed record ExecRequest(IReadOnlyList<string> Command, string WorkingDirectory, IReadOnlyList<string> Environment)
{
    public WireWriter Encode()
    {
        var writer = new WireWriter().Int(Command.Count);
        foreach (var part in Command)
        {
            writer.String(part);
        }

        writer.String(WorkingDirectory).Int(Environment.Count);
        foreach (var variable in Environment)
        {
            writer.String(variable);
        }

        return writer;
    }

    public static ExecRequest Read(WireReader reader)
    {
        var command = Strings(reader);
        var directory = reader.String();
        return new ExecRequest(command, directory, Strings(reader));
    }

    private static List<string> Strings(WireReader reader)
    {
        var count = reader.Int();
        if (count is < 0 or > 100_000)
        {
            throw new InvalidDataException($"An exec request with {count} strings is outside the protocol's limits.");
        }

        var items = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            items.Add(reader.String());
        }

        return items;
    }
}
