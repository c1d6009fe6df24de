// The workspace members pnpm-workspace.yaml lists, one per line ("  - packages/core"), with a
// trailing "/*" standing for every folder beneath ("  - examples/*").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

/** Paths (relative to the root) of the workspace members, without the tooling folder itself. */
export function workspaceMembers() {
  return readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s+-\s+(\S+)\s*$/.exec(line)?.[1])
    .filter((member) => member !== undefined && member.includes('/'))
    .flatMap((member) => (member.endsWith('/*') ? childFolders(member.slice(0, -2)) : [member]));
}

function childFolders(parent) {
  return readdirSync(join(root, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}`)
    .sort();
}
