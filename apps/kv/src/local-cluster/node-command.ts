import { fileURLToPath } from 'node:url';

/**
 * How to start a `raft-kv` node process from this installation: from TypeScript source (through
 * tsx, in the workspace) when this module itself runs from source, from `dist/` otherwise.
 */
export function nodeCommand(args: readonly string[]): { command: string; argv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const cli = fileURLToPath(new URL(fromSource ? '../cli.ts' : '../cli.js', import.meta.url));
  const loader = fromSource ? ['--import', 'tsx', '--conditions=@raft/source'] : [];
  return { command: process.execPath, argv: [...loader, cli, ...args] };
}
