/** The narrow logging surface the daemon code needs; VS Code's LogOutputChannel satisfies it. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
