import { Logger } from './Logger';

/** A line the daemon wrote to stderr, with the level it was written at. */
export interface DaemonLogLine {
  readonly level: keyof Logger;
  readonly message: string;
}

// The daemon writes `<ISO time> <LEVEL padded to 7> <message>` (TextWriterLog); the output channel adds its own time.
const daemonLine = /^\d{4}-\d\d-\d\dT[\d:.]+Z (TRACE|DEBUG|INFO|WARNING|WARN|ERROR)\s+(.*)$/;
const levels: Record<string, keyof Logger> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARNING: 'warn', WARN: 'warn', ERROR: 'error' };

/**
 * The level and text of a stderr line. A line without the daemon's prefix continues the previous message (a
 * multi-line detail), so it keeps that message's level.
 */
export function parseDaemonLogLine(line: string, previous: keyof Logger = 'info'): DaemonLogLine {
  const match = daemonLine.exec(line);
  if (!match) {
    return { level: previous, message: line };
  }
  return { level: levels[match[1] ?? ''] ?? 'info', message: match[2] ?? '' };
}
