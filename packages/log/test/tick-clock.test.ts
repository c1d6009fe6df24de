import { describe, expect, it } from 'vitest';
import { TickClock } from '../src/tick-clock.js';

describe('TickClock', () => {
  it('hands out each tick once, when it comes due, without drifting', () => {
    const clock = new TickClock(10, 5, 1000);
    expect(clock.due(1009.9)).toBe(0);
    expect(clock.due(1010)).toBe(1);
    expect(clock.due(1015)).toBe(0);
    // Late calls do not move the schedule: the next tick is still due at 1030.
    expect(clock.due(1029)).toBe(1);
    expect(clock.due(1030)).toBe(1);
  });

  it('counts every tick a gap missed', () => {
    const clock = new TickClock(10, 5, 0);
    expect(clock.due(35)).toBe(3);
    expect(clock.due(40)).toBe(1);
  });

  it('hands out at most maxCatchUp ticks for a long gap and skips the rest', () => {
    const clock = new TickClock(10, 5, 0);
    expect(clock.due(10_000)).toBe(5);
    expect(clock.due(10_005)).toBe(0);
    expect(clock.due(10_010)).toBe(1);
  });
});
