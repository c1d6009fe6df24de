import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkHistory, readHistoryFile } from '@raft/conformance';

/** The Jepsen etcd histories live in the shared checkout beside the repository (DESIGN.md). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const testdata = resolve(repoRoot, '../shared/testdata/jepsen-etcd');
const expectedFile = join(testdata, 'expected.txt');

function expectedVerdicts(): Array<{ file: string; valid: boolean }> {
  return readFileSync(expectedFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [number, verdict] = line.trim().split(/\s+/);
      return { file: `etcd_${number!.padStart(3, '0')}.jsonl`, valid: verdict === 'true' };
    });
}

describe('checkHistory on the Jepsen etcd histories', () => {
  if (!existsSync(expectedFile)) {
    it('finds the Jepsen etcd test data', () => {
      expect.fail(
        `${expectedFile} is missing: check out the shared test data beside the repository ` +
          `(../shared/testdata/jepsen-etcd relative to ${repoRoot})`,
      );
    });
    return;
  }
  const cases = expectedVerdicts();

  it('has all 102 histories with a verdict each', () => {
    expect(cases).toHaveLength(102);
  });

  it.each(cases)('$file is linearizable: $valid', async ({ file, valid }) => {
    const parsed = await readHistoryFile(join(testdata, file));
    expect(parsed.problems).toEqual([]);
    const result = checkHistory(parsed.events);
    expect(result.valid).toBe(valid);
    if (!valid) expect(result.counterexample?.unlinearizable).toContain(result.counterexample?.blocked);
  });
});
