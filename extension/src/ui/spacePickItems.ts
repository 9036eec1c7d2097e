import { walkSpaces } from '../state/SpacesModel';
import { SpaceInfo, SpaceTree } from '../protocol/types';

/** One row of a space quick pick: a space (indented by depth) or an action. */
export interface SpacePickItem {
  readonly label: string;
  readonly description?: string;
  readonly kind?: 'separator';
  readonly space?: SpaceInfo;
  readonly action?: 'createChild' | 'selectContext' | 'openUrl' | 'copyUrl';
}

// Quick picks trim leading spaces, so the tree is indented with non-breaking ones.
const indentUnit = '\u00a0\u00a0\u00a0\u00a0';

/** The spaces to choose from, as an indented tree, each with its URL when its root is routed; spaces being deleted
 *  (Terminating) are not offered. */
export function spaceRows(tree: SpaceTree): SpacePickItem[] {
  return [...walkSpaces(tree.roots)].filter(({ space }) => space.phase !== 'Terminating').map(({ space, depth }) => ({
    label: `${indentUnit.repeat(depth)}${space.isSelected ? '$(check)' : '$(cloud)'} ${space.name}`,
    description: [space.isSelected ? 'selected' : undefined, space.phase !== 'Active' ? space.phase : undefined, space.url ?? undefined]
      .filter(Boolean)
      .join(' · '),
    space,
  }));
}

/** The status-bar menu: the space tree (or why there is none), then the actions; opening and copying the selected
 *  space's URL are among them when that space has a URL. */
export function spaceMenuItems(tree: SpaceTree | undefined, problem?: SpacePickItem): SpacePickItem[] {
  const rows = tree ? spaceRows(tree) : [];
  const selected = rows.find((row) => row.space?.isSelected)?.space;
  const head: SpacePickItem[] =
    rows.length > 0
      ? rows
      : [problem ?? { label: 'No spaces in this cluster yet', description: 'create one with the CLI or below' }];
  return [
    ...head,
    { label: 'Actions', kind: 'separator' },
    ...(selected?.url
      ? ([
          { label: `$(link-external) Open URL of ${selected.name}`, description: selected.url, space: selected, action: 'openUrl' },
          { label: `$(copy) Copy URL of ${selected.name}`, description: selected.url, space: selected, action: 'copyUrl' },
        ] as const)
      : []),
    { label: '$(add) Create child space…', action: 'createChild' },
    { label: '$(server-environment) Select cluster context…', action: 'selectContext', description: tree?.context ?? undefined },
  ];
}
