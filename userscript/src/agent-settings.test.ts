import { describe, expect, it } from 'vitest';
import { parseAgentSettings } from './agent-settings.js';

describe('parseAgentSettings', () => {
  it('accepts what the bridge renders and lists every problem otherwise', () => {
    const settings = { bridgeUrl: 'ws://127.0.0.1:5102/ws/worker', secret: 's', host: 'userscript', agentVersion: '1.0.0' };
    expect(parseAgentSettings(settings)).toEqual(settings);
    expect(() => parseAgentSettings({ ...settings, bridgeUrl: 'http://x', host: 'tab' })).toThrow(/bridgeUrl.*host/);
    expect(() => parseAgentSettings(undefined)).toThrow(/Reinstall/);
  });
});
