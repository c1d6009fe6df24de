import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { directoryLockSuite } from '@raft/storage-kit/testing';
import { describe, expect, it } from 'vitest';
import { DirectoryLockedError, FileStorage } from '../src/index.js';
import { openLoaded, tempDir } from './helpers.js';

directoryLockSuite('FileStorage', { module: new URL('./crash-open.ts', import.meta.url) });

const holder = fileURLToPath(new URL('./hold-lock.ts', import.meta.url));

// What is particular to FileStorage's lock: a pid file, which outlives a killed owner.
describe('the LOCK pid file', () => {
  it('names its owner, is left behind by a SIGKILLed one, and is taken over by the next open', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@raft/source', holder, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), once(child, 'exit').then(() => ['exited'])])) as [string];
    expect(line).toBe('locked');
    const refused = await FileStorage.open(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DirectoryLockedError);
    expect((refused as Error).message).toContain(join(dir, 'LOCK'));

    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${child.pid}\n`);
    const { storage } = await openLoaded(dir);
    expect(await readFile(join(dir, 'LOCK'), 'utf8')).toBe(`${process.pid}\n`);
    await storage.close();
  });
});
