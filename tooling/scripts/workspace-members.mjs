// The workspace members pnpm-workspace.yaml lists, one per line ("  - packages/core").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

/** Paths (relative to the root) of the workspace members, without the tooling folder itself. */
export function workspaceMembers() {
  return readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s+-\s+(\S+)\s*$/.exec(line)?.[1])
    .filter((member) => member !== undefined && member.includes('/'));
}
