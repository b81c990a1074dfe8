import { describe, expect, it } from 'vitest';
import { readEndpointMapObject } from './endpoint-map-file.js';

describe('readEndpointMapObject', () => {
  it('reads a pool and a single mapping (which becomes a pool of one)', () => {
    const result = readEndpointMapObject(
      {
        'claude-3-opus': [
          { session_id: 's1', message_id: 'm1', mode: 'direct_chat' },
          { session_id: 's2', message_id: 'm2', mode: 'battle', battle_target: 'b' },
        ],
        gemini: { session_id: 's3', message_id: 'm3' },
      },
      'model_endpoint_map.json',
    );
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.endpointMap).toEqual({
      'claude-3-opus': [
        { sessionId: 's1', messageId: 'm1', mode: 'direct_chat' },
        { sessionId: 's2', messageId: 'm2', mode: 'battle', battleTarget: 'B' },
      ],
      gemini: [{ sessionId: 's3', messageId: 'm3' }],
    });
  });

  it('reports every problem with its position in the pool', () => {
    const result = readEndpointMapObject(
      {
        a: [{ session_id: 's', message_id: 'm' }, { session_id: '', message_id: 'm', mode: 'arena' }],
        b: [],
        c: 'nope',
      },
      'model_endpoint_map.json',
    );
    expect(result.problems.map((problem) => problem.path)).toEqual(['a[1].session_id', 'a[1].mode', 'b', 'c']);
  });

  it('warns about unknown keys with a suggestion', () => {
    const result = readEndpointMapObject({ a: { session_id: 's', message_id: 'm', battle_targt: 'A' } }, 'map.json');
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual(['map.json: a: unknown key "battle_targt" is ignored (did you mean "battle_target"?).']);
  });
});
