namespace DevSpaces.Helper.Protocol;

/// <summary>
/// What a committed batch did: changes applied, the problems of those not applied, and the tree afterwards (files
/// under the root and their <see cref="TreeHash"/>).
/// </summary>
public sealed record BatchResult(int Applied, IReadOnlyList<PathProblem> Problems, int FileCount, string TreeHash)
{
    public WireWriter Encode()
    {
        var writer = new WireWriter().Int(Applied).Int(Problems.Count);
        foreach (var problem in Problems)
        {
            problem.Write(writer);
        }

        return writer.Int(FileCount).String(TreeHash);
    }

    public static BatchResult Read(WireReader reader)
    {
        var applied = reader.Int();
        var problems = new PathProblem[reader.Int()];
        for (var i = 0; i < problems.Length; i++)
        {
            problems[i] = PathProblem.Read(reader);
        }

        return new BatchResult(applied, problems, reader.Int(), reader.String());
    }
}
