import { HttpTrace } from '../protocol/types';

/** One trace as `devspaces traces` prints it, and under it, when the routing key was lost, which service lost it. */
export function traceLines(t: HttpTrace): string[] {
  const at = new Date(t.time);
  const time = Number.isNaN(at.getTime()) ? t.time : at.toISOString().slice(11, 23);
  const asked = t.source === 'none' ? 'no key' : `${t.source} '${t.asked ?? ''}'${t.space === null ? ' (not a space of this tree: baseline)' : ''}`;
  const line = `${time} ${t.method} ${t.service}${t.path} ${t.status} ${t.durationMs.toFixed(1)} ms  ${asked} -> ${t.servedBy}`;
  const d = t.keyDropped;
  if (!d) {
    return [line];
  }
  return [
    line,
    `  ! key for '${d.space}' dropped: ${d.service} (the version from '${d.servedBy}') called ${t.service} without it; ${d.service} must forward the devspaces-route-as (or baggage) header ` +
      (d.exact ? '(exact: same traceparent trace id)' : '(best guess: no traceparent; it was serving a request for that space when this call arrived)'),
  ];
}
