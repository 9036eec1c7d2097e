namespace DevSpaces.Contracts;

/// <summary>Params of <c>image/progress</c>: one line of build output or a transfer status.</summary>
/// <param name="OperationId">As passed to <c>image/build</c>.</param>
/// <param name="Kind"><c>buildOutput</c>, <c>upToDate</c>, <c>transfer</c> or <c>step</c>.</param>
/// <param name="Message">The line.</param>
/// <param name="LayerId">For transfers: the layer.</param>
/// <param name="Current">For transfers: bytes done.</param>
/// <param name="Total">For transfers: bytes in all.</param>
public sealed record ImageProgressInfo(string? OperationId, string Kind, string Message, string? LayerId, long? Current, long? Total);
