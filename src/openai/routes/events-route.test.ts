import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENT_TYPES, parseEventTypes } from './events-route.js';

describe('parseEventTypes', () => {
  it('accepts every documented type, alone or together, and means all types when absent', () => {
    expect(parseEventTypes(undefined)).toBeUndefined();
    expect(parseEventTypes(BRIDGE_EVENT_TYPES.join(','))).toEqual(new Set(BRIDGE_EVENT_TYPES));
    expect(parseEventTypes(['account.held', ' worker.left ,'])).toEqual(new Set(['account.held', 'worker.left']));
  });

  it('refuses unknown and empty names with param types', () => {
    expect(() => parseEventTypes('account.held,Account.Held')).toThrow(/unknown event type "Account.Held"/);
    expect(() => parseEventTypes('toString')).toThrow(/unknown event type/);
    expect(() => parseEventTypes(' , ')).toThrow(/give one or more event types/);
    const thrown = ((): unknown => {
      try {
        return parseEventTypes('nope');
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ status: 400, code: 'invalid_request', param: 'types' });
  });
});
