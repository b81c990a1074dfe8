import { describe, expect, it } from 'vitest';
import { TITLE_PREFIXES, chooseTitlePrefix, stripTitlePrefix, withTitlePrefix } from './title-prefix.js';

describe('title prefixes', () => {
  it('never stacks prefixes and restores the site title', () => {
    const stacked = `${TITLE_PREFIXES.busy}${TITLE_PREFIXES.connected}${TITLE_PREFIXES.busy}LMArena`;
    expect(stripTitlePrefix(stacked)).toBe('LMArena');
    expect(withTitlePrefix(stacked, TITLE_PREFIXES.capture)).toBe('🎯 LMArena');
    expect(withTitlePrefix('✅ LMArena', '')).toBe('LMArena');
    expect(stripTitlePrefix(`${TITLE_PREFIXES.verification}${TITLE_PREFIXES.connected}LMArena`)).toBe('LMArena');
    expect(withTitlePrefix('LMArena ✅ ', TITLE_PREFIXES.disconnected)).toBe('❌ LMArena ✅ ');
  });

  it('chooses by priority: disconnected, verification, capture, busy, connected', () => {
    expect(chooseTitlePrefix({ connected: false, captureArmed: true, activeJobs: 2, verification: true })).toBe('❌ ');
    expect(chooseTitlePrefix({ connected: true, captureArmed: true, activeJobs: 2, verification: true })).toBe('⚠️ ');
    expect(chooseTitlePrefix({ connected: true, captureArmed: true, activeJobs: 2, verification: false })).toBe('🎯 ');
    expect(chooseTitlePrefix({ connected: true, captureArmed: true, activeJobs: 2 })).toBe('🎯 ');
    expect(chooseTitlePrefix({ connected: true, captureArmed: false, activeJobs: 2 })).toBe('⏳ ');
    expect(chooseTitlePrefix({ connected: true, captureArmed: false, activeJobs: 0 })).toBe('✅ ');
  });
});
