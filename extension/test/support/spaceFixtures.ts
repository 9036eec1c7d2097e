import { ConnectionStatus, Selection, SpaceInfo, SpaceTree } from '../../src/protocol/types';

export const space = (name: string, parent: string | null, children: SpaceInfo[] = [], isSelected = false): SpaceInfo => ({
  name,
  parent,
  phase: 'Active',
  isSelected,
  children,
});

/** team ─┬─ team-alice ── team-alice-feature
 *        └─ team-bob
 *  other */
export const teamTree = (selected: string | null = 'team'): SpaceTree => {
  const mark = (s: SpaceInfo): SpaceInfo => ({ ...s, isSelected: s.name === selected, children: s.children.map(mark) });
  return {
    context: 'test-cluster',
    selected,
    roots: [
      space('other', null),
      space('team', null, [space('team-alice', 'team', [space('team-alice-feature', 'team-alice')]), space('team-bob', 'team')]),
    ].map(mark),
    note: null,
  };
};

export const selection = (space: string | null, context = 'test-cluster'): Selection => ({
  context,
  space,
  workspaceFolder: '/work/app',
  reason: null,
});

export const connected = (context = 'test-cluster'): ConnectionStatus => ({
  state: 'connected',
  context,
  server: 'https://10.0.0.1:6443',
  serverVersion: 'v1.20.2',
  error: null,
});
