import v8 from 'node:v8';

/**
 * Measures the bytes a piece of code allocates on the V8 heap: the growth of the used heap plus
 * everything each garbage collection in between freed (from V8's own before/after statistics).
 */
export function measureAllocation<T>(run: () => T): { result: T; bytes: number } {
  const profiler = new v8.GCProfiler();
  const before = v8.getHeapStatistics().used_heap_size;
  profiler.start();
  const result = run();
  const stats = profiler.stop();
  const after = v8.getHeapStatistics().used_heap_size;
  let freed = 0;
  for (const gc of stats.statistics) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  }
  return { result, bytes: after - before + freed };
}
