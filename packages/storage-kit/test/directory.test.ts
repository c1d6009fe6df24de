import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSize, isMarkedInUse, isProcessAlive, markInUse } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'raft-storage-kit-'));
  dirs.push(dir);
  return dir;
}

describe('the in-use marker', () => {
  const marker = { name: 'RAFT-TEST', text: 'This directory holds a Raft log.\n' };

  it('is absent in a new directory, and stays once written', async () => {
    const dir = await tempDir();
    expect(await isMarkedInUse(dir, marker)).toBe(false);
    await markInUse(dir, marker);
    await markInUse(dir, marker);
    expect(await isMarkedInUse(dir, marker)).toBe(true);
    expect(await readFile(join(dir, 'RAFT-TEST'), 'utf8')).toBe(marker.text);
  });
});

describe('fileSize', () => {
  it('is the size of a regular file, and undefined for none or a directory', async () => {
    const dir = await tempDir();
    await markInUse(dir, { name: 'f', text: 'abc' });
    await mkdir(join(dir, 'sub'));
    expect(await fileSize(join(dir, 'f'))).toBe(3);
    expect(await fileSize(join(dir, 'missing'))).toBeUndefined();
    expect(await fileSize(join(dir, 'sub'))).toBeUndefined();
  });
});

describe('isProcessAlive', () => {
  it('is true for a running process and false once it has exited', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    expect(isProcessAlive(child.pid!)).toBe(false);
  });
});
