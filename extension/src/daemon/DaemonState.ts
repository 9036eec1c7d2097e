/** What the daemon process is doing; the status bar and the output channel follow this. */
export type DaemonState =
  /** Not started yet: the daemon starts with the first request (a click, a command, an expanded view). */
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting'; readonly attempt: number }
  | { readonly kind: 'running'; readonly version: string; readonly pid: number | undefined }
  | {
      readonly kind: 'restarting';
      readonly reason: string;
      readonly delayMs: number;
      readonly attempt: number;
    }
  | { readonly kind: 'unavailable'; readonly reason: string; readonly hint: string }
  | { readonly kind: 'stopped' };
