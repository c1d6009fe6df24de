import { seededRandom } from '@raft/core';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../src/history/recorder.js';
import type { NemesisEvent } from '../../src/history/types.js';
import { startFault } from '../../src/nemesis/faults.js';
import { runNemesis } from '../../src/nemesis/schedule.js';
import type { ClusterUnderTest, NetworkFaults } from '../../src/runner/cluster-under-test.js';

/** A cluster that only keeps track of what the nemesis did to it (logic under test: the nemesis). */
class FakeCluster implements ClusterUnderTest {
  readonly members = [1, 2, 3, 4, 5].map((id) => ({ id, http: `http://node-${id}` }));
  readonly down = new Set<number>();
  readonly paused = new Set<number>();
  readonly cuts = new Map<number, readonly number[]>();
  failRestart = false;
  constructor(readonly leader = 3) {}
  isRunning = (id: number) => !this.down.has(id);
  isPaused = (id: number) => this.paused.has(id);
  kill = async (id: number) => void this.down.add(id);
  restart = async (id: number) => {
    if (this.failRestart) throw new Error(`node ${id} would not start`);
    this.down.delete(id);
  };
  pause = (id: number) => void this.paused.add(id);
  resume = async (id: number) => void this.paused.delete(id);
  readonly faults = new Map<number, NetworkFaults>();
  network = async (id: number, faults: NetworkFaults) => {
    this.cuts.set(id, faults.blocked ?? []);
    this.faults.set(id, faults);
  };
  status = async (id: number) => ({ role: id === this.leader ? 'leader' : 'follower', term: 2, leader: this.leader });
  waitForLeader = async () => this.leader;
}

const nemesisEvents = (recorder: HistoryRecorder) => recorder.events.filter((e): e is NemesisEvent => e.process === 'nemesis');

describe('faults', () => {
  it('kill takes down a minority, recording which nodes and who led; stop restarts them', async () => {
    for (let seed = 0; seed < 20; seed++) {
      const cluster = new FakeCluster();
      const recorder = new HistoryRecorder();
      const active = await startFault('kill', { cluster, recorder, random: seededRandom(seed) });
      expect(cluster.down.size).toBeGreaterThanOrEqual(1);
      expect(cluster.down.size).toBeLessThanOrEqual(2);
      expect(nemesisEvents(recorder)[0]).toMatchObject({ f: 'start-kill', value: { nodes: [...cluster.down].sort(), leader: 3 } });
      await active.stop();
      expect(cluster.down.size).toBe(0);
      expect(nemesisEvents(recorder).map((e) => e.f)).toEqual(['start-kill', 'stop-kill']);
    }
  });

  it('kill picks the leader about half of the time', async () => {
    let leaderKilled = 0;
    for (let seed = 0; seed < 200; seed++) {
      const cluster = new FakeCluster();
      await startFault('kill', { cluster, recorder: new HistoryRecorder(), random: seededRandom(seed) });
      if (cluster.down.has(3)) leaderKilled++;
    }
    expect(leaderKilled).toBeGreaterThan(80);
    expect(leaderKilled).toBeLessThan(160);
  });

  it('pause freezes a minority and stop resumes it', async () => {
    const cluster = new FakeCluster();
    const active = await startFault('pause', { cluster, recorder: new HistoryRecorder(), random: seededRandom(9) });
    expect(cluster.paused.size).toBeGreaterThanOrEqual(1);
    await active.stop();
    expect(cluster.paused.size).toBe(0);
  });

  it('partition cuts every node as the pattern says, and stop heals all of them', async () => {
    const cluster = new FakeCluster();
    const recorder = new HistoryRecorder();
    const active = await startFault('partition', { cluster, recorder, random: seededRandom(4) });
    const start = nemesisEvents(recorder)[0]!;
    expect(start.f).toBe('start-partition');
    const blocked = (start.value as { blocked: Record<string, number[]> }).blocked;
    for (const { id } of cluster.members) expect(cluster.cuts.get(id)).toEqual(blocked[id]);
    expect([...cluster.cuts.values()].some((cut) => cut.length > 0)).toBe(true);
    await active.stop();
    for (const { id } of cluster.members) expect(cluster.cuts.get(id)).toEqual([]);
  });
});

it('flaky makes every node lose, duplicate and delay messages, and stop heals them', async () => {
  const cluster = new FakeCluster();
  const recorder = new HistoryRecorder();
  const active = await startFault('flaky', { cluster, recorder, random: seededRandom(6) });
  const settings = nemesisEvents(recorder)[0]!.value as { drop: number; duplicate: number; delayMs: number };
  expect(settings.drop).toBeGreaterThanOrEqual(0.1);
  expect(settings.drop).toBeLessThanOrEqual(0.3);
  expect(settings.delayMs).toBeGreaterThanOrEqual(20);
  for (const { id } of cluster.members) expect(cluster.faults.get(id)).toEqual(settings);
  await active.stop();
  for (const { id } of cluster.members) expect(cluster.faults.get(id)).toEqual({});
});

describe('the nemesis schedule', () => {
  it('alternates faults from the list until aborted, and undoes the last one before resolving', async () => {
    const cluster = new FakeCluster();
    const recorder = new HistoryRecorder();
    const stop = new AbortController();
    const started: string[] = [];
    const run = runNemesis({
      cluster, recorder, random: seededRandom(1), faults: ['kill', 'pause', 'partition', 'flaky'], faultMs: [5, 10], quietMs: [1, 2], signal: stop.signal,
      onFault: (description) => {
        if (description) started.push(description);
        if (started.length === 8) stop.abort();
      },
    });
    await run;
    const fs = nemesisEvents(recorder).map((e) => e.f);
    expect(fs.filter((f) => f.startsWith('start-'))).toHaveLength(8);
    expect(fs.filter((f) => f.startsWith('stop-'))).toHaveLength(8);
    expect(new Set(fs.filter((f) => f.startsWith('start-')))).toEqual(new Set(['start-kill', 'start-pause', 'start-partition', 'start-flaky']));
    expect(cluster.down.size + cluster.paused.size).toBe(0);
  });

  it('rejects when a fault cannot be undone: a node that will not restart is a finding', async () => {
    const cluster = new FakeCluster();
    cluster.failRestart = true;
    const stop = new AbortController();
    await expect(
      runNemesis({ cluster, recorder: new HistoryRecorder(), random: seededRandom(2), faults: ['kill'], faultMs: [1, 2], quietMs: [1, 2], signal: stop.signal }),
    ).rejects.toThrow(/would not start/);
  });
});
