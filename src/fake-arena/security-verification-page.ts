import { jsonForScript } from './http-utils.js';

/**
 * The fake's stand-in endpoint the modal sends its v2 token to. The live site's endpoint is not
 * known (§15.4 describes only the modal).
 */
export const SECURITY_VERIFICATION_PATH = '/nextjs-api/security-verification';

/** The modal of a flagged account (§15.4). Agents find it by `role="dialog"` + its title, or `#security-verification`. */
const MODAL = '<div id="security-verification" role="dialog" aria-modal="true" aria-labelledby="security-verification-title">'
  + '<h2 id="security-verification-title">Security Verification</h2>'
  + '<p>We noticed unusual activity from your account. Please confirm you are human to keep chatting.</p>'
  + '<div id="security-verification-widget"></div></div>';

const STYLE = `<style>#security-verification{position:fixed;left:50%;top:30%;transform:translateX(-50%);z-index:1000;width:340px;
padding:20px 24px;background:#fff;border:1px solid #ccc;border-radius:8px;box-shadow:0 8px 32px rgba(0,0,0,.3);font:14px sans-serif}</style>`;

/**
 * Renders the v2 checkbox into the widget and, once a person has clicked it, sends the token to
 * {@link SECURITY_VERIFICATION_PATH} and removes the modal. A script's `element.click()` is
 * stopped before it reaches the checkbox, and a token the widget produced without a trusted click
 * (`execute(widgetId)`) is not sent: on the site the checkbox sits in Google's cross-origin frame,
 * out of any page script's reach.
 */
function verificationScript(siteKeyV2: string): string {
  return `(function () {
  "use strict";
  var modal = document.getElementById("security-verification");
  var widget = document.getElementById("security-verification-widget");
  var clicked = false;
  var widgetId = null;
  widget.addEventListener("click", function (event) {
    if (!event.isTrusted) { event.stopImmediatePropagation(); event.preventDefault(); return; }
    if (event.target instanceof Element && event.target.closest(".fake-recaptcha-checkbox")) clicked = true;
  }, true);
  function whenRecaptcha(callback) {
    if (window.grecaptcha && window.grecaptcha.enterprise) window.grecaptcha.enterprise.ready(callback);
    else setTimeout(function () { whenRecaptcha(callback); }, 50);
  }
  function verify(token) {
    if (!clicked) return;
    clicked = false;
    window.fetch(${jsonForScript(SECURITY_VERIFICATION_PATH)}, {
      method: "POST",
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      body: JSON.stringify({ recaptchaV2Token: token }),
      credentials: "include"
    }).then(function (response) {
      if (!response.ok) throw new Error("verification answered " + response.status);
      modal.remove();
    }).catch(function () { window.grecaptcha.enterprise.reset(widgetId); });
  }
  whenRecaptcha(function () {
    widgetId = window.grecaptcha.enterprise.render(widget, { sitekey: ${jsonForScript(siteKeyV2)}, callback: verify });
  });
})();`;
}

/** The modal, its style and its script, for the page of a flagged visitor. */
export function renderSecurityVerification(siteKeyV2: string): string {
  return `${STYLE}\n${MODAL}\n<script>${verificationScript(siteKeyV2)}</script>`;
}
