import { randomBytes } from 'node:crypto';
import { CLEARANCE_COOKIE } from '../arena/constants.js';
import { escapeHtml, jsonForScript } from './http-utils.js';
import type { FakeArenaState } from './state.js';

/** The Turnstile widget of an interactive challenge: a checkbox drawn at the left of a 300×65 box. */
const TURNSTILE_WIDGET = `<div id="cf-turnstile" style="position:relative;width:300px;height:65px;border:1px solid #e0e0e0;background:#fafafa;font:14px sans-serif">
<span id="cf-turnstile-box" style="position:absolute;left:16px;top:20px;width:24px;height:24px;border:2px solid #666;border-radius:3px;box-sizing:border-box"></span>
<span style="position:absolute;left:52px;top:23px">Verify you are human</span></div>`;

/** Passes on the first trusted click inside the checkbox (with a few pixels of slack). */
const CLICK_TO_PASS = `var widget=document.getElementById('cf-turnstile');var passed=false;
widget.addEventListener('click',function(event){var box=document.getElementById('cf-turnstile-box').getBoundingClientRect();
var inside=event.clientX>=box.left-4&&event.clientX<=box.right+4&&event.clientY>=box.top-4&&event.clientY<=box.bottom+4;
if(passed||!event.isTrusted||!inside)return;passed=true;document.getElementById('challenge-running').textContent='Verifying...';pass();});`;

/**
 * A Cloudflare "managed challenge" page (§10.3), always answered with 403. Its inline script
 * waits `challengeClearDelayMs`, sets a `cf_clearance` the fake registered, and reloads — what a
 * real browser does after passing the challenge. With `challengeInteractive` it waits for a
 * trusted click on the Turnstile checkbox first (a script's synthetic click does not count).
 * Non-browser tests can read the value from the page and send the cookie themselves.
 */
export function renderChallengePage(state: FakeArenaState, host: string): string {
  const clearance = `${randomBytes(24).toString('base64url')}-${Math.floor(state.now() / 1000)}-1.2.1.1`;
  state.clearances.add(clearance);
  const interactive = state.options.challengeInteractive;
  const options = { cvId: '3', cZone: host, cType: 'managed', cRay: randomBytes(8).toString('hex'), cH: randomBytes(16).toString('hex') };
  return `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="robots" content="noindex,nofollow">
</head><body>
<div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">${escapeHtml(host)}</h1>
<h2 class="h2" id="challenge-running">Verifying you are human. This may take a few seconds.</h2>
<noscript><div class="h2"><span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></noscript>
<div id="challenge-body-text" class="core-msg spacer">Enable JavaScript and cookies to continue</div>
${interactive ? TURNSTILE_WIDGET : ''}
</div></div>
<script>(function(){window._cf_chl_opt=${jsonForScript(options)};
function pass(){setTimeout(function(){document.cookie=${jsonForScript(`${CLEARANCE_COOKIE}=${clearance}; path=/; max-age=1800; SameSite=Lax`)};location.reload();},${state.options.challengeClearDelayMs});}
${interactive ? CLICK_TO_PASS : 'pass();'}})();</script>
</body></html>`;
}

/** Whether a request carries a clearance issued since the challenge started. */
export function hasClearance(state: FakeArenaState, cookies: ReadonlyMap<string, string>): boolean {
  const value = cookies.get(CLEARANCE_COOKIE);
  return value !== undefined && state.clearances.has(value);
}
