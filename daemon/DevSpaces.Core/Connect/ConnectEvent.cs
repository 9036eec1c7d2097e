using DevSpaces.Contracts;
namespace DevSpaces.Core.Connect;

/// <summary>Something the user of a connect session should see.</summary>
public sealed record ConnectEvent(DateTimeOffset Time, ConnectEventKind Kind, string Message);
