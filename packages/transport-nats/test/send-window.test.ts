import { describe, expect, it } from 'vitest';
import { SendWindow } from '../src/send-window.js';
import { Subjects } from '../src/subjects.js';

/** A confirm function whose round trips the test settles by hand. */
function manualConfirm() {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const confirm = () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  return { confirm, pending };
}

/** What the transport does for one message: reserve when accepted, then publish. */
function sendThrough(window: SendWindow, bytes: number): void {
  window.reserve(bytes);
  window.published(bytes);
}

describe('SendWindow', () => {
  it('admits up to the limit, then nothing until the server confirms', async () => {
    const { confirm, pending } = manualConfirm();
    const window = new SendWindow(1_000, confirm);
    let admitted = 0;
    while (window.admits(100)) {
      sendThrough(window, 100);
      admitted++;
    }
    expect(admitted).toBe(10);
    expect(pending).toHaveLength(1); // one round trip in flight, asked for at a quarter of the limit
    pending[0]?.resolve();
    await Promise.resolve();
    // The round trip was asked for once 300 bytes (over a quarter) were out; those leave the window.
    expect(window.held).toBe(700);
    expect(window.admits(100)).toBe(true);
    expect(pending).toHaveLength(2); // still over a quarter: the next round trip is on its way
  });

  it('releases bytes whose round trip failed: a dead connection no longer holds them', async () => {
    const { confirm, pending } = manualConfirm();
    const window = new SendWindow(400, confirm);
    sendThrough(window, 400);
    pending[0]?.reject(new Error('connection lost'));
    await Promise.resolve();
    await Promise.resolve();
    expect(window.held).toBe(0);
  });

  it('lets one message larger than the whole window through when nothing is outstanding', () => {
    const window = new SendWindow(100, manualConfirm().confirm);
    expect(window.admits(5_000)).toBe(true);
    sendThrough(window, 5_000);
    expect(window.admits(1)).toBe(false);
  });

  it('counts bytes accepted but not yet published, and confirms only published ones', async () => {
    const { confirm, pending } = manualConfirm();
    const window = new SendWindow(1_000, confirm);
    window.reserve(600);
    expect(window.admits(500)).toBe(false);
    expect(pending).toHaveLength(0); // nothing published: a round trip now would prove nothing
    window.published(600);
    expect(pending).toHaveLength(1);
    pending[0]?.resolve();
    await Promise.resolve();
    expect(window.held).toBe(0);
  });

  it('asks for no round trip while little is outstanding', () => {
    const { confirm, pending } = manualConfirm();
    const window = new SendWindow(1_000, confirm);
    sendThrough(window, 249);
    expect(pending).toHaveLength(0);
  });
});

describe('Subjects', () => {
  it('puts each node on its own subject under prefix and cluster', () => {
    const subjects = new Subjects('acme.raft', 'orders');
    expect(subjects.frames(7)).toBe('acme.raft.orders.7');
    expect(subjects.chunks(7)).toBe('acme.raft.orders.7.chunk');
  });

  it('rejects names that would break or widen a subject', () => {
    expect(() => new Subjects('raft', 'a b')).toThrow(/cluster "a b"/);
    expect(() => new Subjects('raft', '>')).toThrow(/cluster/);
    expect(() => new Subjects('raft..x', 'c')).toThrow(/subjectPrefix/);
    expect(() => new Subjects('', 'c')).toThrow(/subjectPrefix/);
  });
});
