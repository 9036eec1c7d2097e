/** Application error codes of the daemon (schemas/rpc.json `errors.codes`). */
export const ErrorCodes = {
  KubeconfigNotFound: 1001,
  KubeconfigInvalid: 1002,
  ContextNotFound: 1003,
  ClusterUnreachable: 1004,
  Unauthenticated: 1005,
  AuthProviderFailed: 1006,
  Forbidden: 1007,
  InvalidName: 1008,
  SpaceNotFound: 1009,
  SpaceAlreadyExists: 1010,
  SpaceHasChildren: 1011,
  NotASpace: 1012,
  NoSpaceSelected: 1013,
  Conflict: 1014,
  ClusterError: 1015,
  WorkspaceStateInvalid: 1016,
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
