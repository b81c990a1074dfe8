import { describe, expect, it } from 'vitest';
import { parseAgentSettings } from './agent-settings.js';

describe('parseAgentSettings', () => {
  it('accepts what the bridge renders and lists every problem otherwise', () => {
    const settings = { bridgeUrl: 'ws://127.0.0.1:5102/ws/worker', secret: 's', host: 'userscript', agentVersion: '1.0.0', arenaOrigins: ['https://arena.ai'] };
    expect(parseAgentSettings(settings)).toEqual(settings);
    expect(() => parseAgentSettings({ ...settings, bridgeUrl: 'http://x', host: 'tab' })).toThrow(/bridgeUrl.*host/);
    expect(() => parseAgentSettings(undefined)).toThrow(/Reinstall/);
  });

  it('refuses settings that do not say which origins the agent may run on', () => {
    const { arenaOrigins: _omitted, ...withoutOrigins } = { bridgeUrl: 'ws://127.0.0.1:5102/ws/worker', secret: 's', host: 'browser', agentVersion: '1.0.0', arenaOrigins: [] };
    expect(() => parseAgentSettings(withoutOrigins)).toThrow(/arenaOrigins/);
  });
});
