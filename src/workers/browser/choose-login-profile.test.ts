import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseLoginProfile } from './choose-login-profile.js';

const profiles = [{ name: 'alice' }, { name: 'bob' }];

describe('chooseLoginProfile', () => {
  it('signs in the default profile without profiles and without --account', () => {
    expect(chooseLoginProfile({ dataDir: '/data', profiles: [], account: undefined })).toEqual({ ok: true, profileDir: join('/data', 'browser-profile'), name: null });
  });

  it('signs in the named profile', () => {
    expect(chooseLoginProfile({ dataDir: '/data', profiles, account: 'bob' })).toEqual({ ok: true, profileDir: join('/data', 'browser-profiles', 'bob'), name: 'bob' });
  });

  it('refuses an unknown name, listing the configured ones and saying to add it', () => {
    const choice = chooseLoginProfile({ dataDir: '/data', profiles, account: 'carol' });
    expect(choice).toEqual({ ok: false, message: expect.stringContaining('No browser profile named "carol"; browser_profiles has "alice", "bob".') });
    expect(!choice.ok && choice.message).toContain('add "carol" to browser_profiles');
    expect(chooseLoginProfile({ dataDir: '/data', profiles, account: '../alice' }).ok).toBe(false);
  });

  it('refuses --account without profiles, and profiles without --account', () => {
    const without = chooseLoginProfile({ dataDir: '/data', profiles: [], account: 'alice' });
    expect(!without.ok && without.message).toMatch(/^--account "alice" needs browser_profiles, and none are configured\. Add "browser_profiles": \["alice"\]/);
    const unnamed = chooseLoginProfile({ dataDir: '/data', profiles, account: undefined });
    expect(!unnamed.ok && unnamed.message).toContain('browser_profiles is set ("alice", "bob"): say which profile to sign in with --account NAME');
  });
});
