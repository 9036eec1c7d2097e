import { UpActivity, UpsModel } from './UpsModel';

export interface StatusPart {
  service: string;
  activity: UpActivity;
  tooltip: string;
}

/** One part per service being started or up, in a stable order. */
export function statusParts(ups: Pick<UpsModel, 'active' | 'pending' | 'activityOf'>): StatusPart[] {
  const running = ups.active.map((u) => {
    const activity = ups.activityOf(u.id);
    const state = { starting: 'starting', running: 'running', rebuilding: 'rebuilding and redeploying', failed: 'its last build failed; the previous version keeps serving' }[activity];
    return { service: u.service, activity, tooltip: `'${u.service}' in space '${u.space}': ${state}${u.url ? ` at ${u.url}` : ''} (pod ${u.pod}).` };
  });
  const starting = ups.pending.map((service) => ({ service, activity: 'starting' as const, tooltip: `'${service}': building and deploying…` }));
  return [...starting, ...running].sort((a, b) => a.service.localeCompare(b.service));
}
