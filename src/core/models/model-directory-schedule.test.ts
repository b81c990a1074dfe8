import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ArenaModel, ModelCapabilities } from '../../arena/types.js';
import { createSilentLogger } from '../../observability/logger.js';
import { createModelDirectory } from './model-directory.js';

const text: ModelCapabilities = {
  inputText: true, inputImage: false, inputFile: false, singleImageOnly: false,
  outputText: true, outputImage: false, outputSearch: false, outputVideo: false, outputWeb: false,
};
const model = (publicName: string): ArenaModel => ({
  id: `id-${publicName}`, publicName, organization: 'acme', capabilities: text, stealth: false, userSelectable: true, arenas: ['text'],
});

function scheduled(refreshMs: number) {
  const workers = { size: 0 };
  let lists: ArenaModel[][] = [[model('first')], [model('second')], [model('third')]];
  let fetches = 0;
  const directory = createModelDirectory({
    entries: [],
    showStealthModels: false,
    refreshMs,
    fetchModels: async () => {
      fetches += 1;
      const [next, ...rest] = lists;
      lists = rest.length > 0 ? rest : lists;
      return next ?? [];
    },
    workers,
    logger: createSilentLogger(),
    now: () => Date.now(),
  });
  return { directory, workers, fetches: () => fetches };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('model directory schedule', () => {
  it('waits for a worker, fetches at once, then again every refreshMs, and lists what changed', async () => {
    const { directory, workers, fetches } = scheduled(60_000);
    directory.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetches()).toBe(0);
    workers.size = 1;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetches()).toBe(1);
    expect(directory.list().map((listing) => listing.id)).toEqual(['first']);
    expect(directory.arenaModels().map((entry) => entry.publicName)).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(50_000);
    expect(fetches()).toBe(1);
    await vi.advanceTimersByTimeAsync(12_000);
    expect(fetches()).toBe(2);
    expect(directory.list().map((listing) => listing.id)).toEqual(['second']);
    directory.stop();
  });

  it('with refreshMs 0 fetches only once, when the first worker joins', async () => {
    const { directory, workers, fetches } = scheduled(0);
    workers.size = 1;
    directory.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetches()).toBe(1);
    await directory.refresh();
    expect(fetches()).toBe(2);
    directory.stop();
  });

  it('with refreshMs 0 retries a failed first fetch with a growing delay, not on every tick', async () => {
    let fetches = 0;
    const directory = createModelDirectory({
      entries: [],
      showStealthModels: false,
      refreshMs: 0,
      fetchModels: async () => {
        fetches += 1;
        if (fetches < 3) throw new Error('catalog down');
        return [model('late')];
      },
      workers: { size: 1 },
      logger: createSilentLogger(),
      now: () => Date.now(),
    });
    directory.start();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetches).toBe(1);
    await vi.advanceTimersByTimeAsync(4_500);
    expect(fetches).toBe(2);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(fetches).toBe(2);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(fetches).toBe(3);
    expect(directory.list().map((listing) => listing.id)).toEqual(['late']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetches).toBe(3);
    directory.stop();
  });
});
