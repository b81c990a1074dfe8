/**
 * The browser script served at `/recaptcha/enterprise.js` and `/recaptcha/api.js`: a working
 * stand-in for `grecaptcha.enterprise` (v3 `execute`, v2 `render`/`execute`) and `grecaptcha`
 * that mints tokens from the fake's `POST /recaptcha/mint`. XMLHttpRequest, not fetch, so an
 * agent wrapping `window.fetch` sees only the site's own calls.
 */
export function renderRecaptchaScript(siteKeyV2: string): string {
  return `(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : location.origin;
  var V2_KEY = ${JSON.stringify(siteKeyV2)};
  var widgets = [];
  function mint(siteKey, action, version) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", origin + "/recaptcha/mint");
      xhr.setRequestHeader("Content-Type", "application/json");
      xhr.onload = function () {
        if (xhr.status !== 200) { reject(new Error("reCAPTCHA: " + xhr.responseText)); return; }
        resolve(JSON.parse(xhr.responseText).token);
      };
      xhr.onerror = function () { reject(new Error("reCAPTCHA: network error")); };
      xhr.send(JSON.stringify({ siteKey: siteKey, action: action, version: version }));
    });
  }
  function runWidget(id) {
    var widget = widgets[id];
    if (!widget) return Promise.reject(new Error("reCAPTCHA: no widget " + id));
    return mint(widget.sitekey, undefined, "v2").then(function (token) {
      widget.response = token;
      if (typeof widget.callback === "function") widget.callback(token);
      return token;
    }, function (error) {
      if (typeof widget["error-callback"] === "function") widget["error-callback"]();
      throw error;
    });
  }
  var api = {
    ready: function (callback) { setTimeout(callback, 0); },
    execute: function (keyOrWidget, options) {
      if (typeof keyOrWidget === "string") return mint(keyOrWidget, (options && options.action) || "", "v3");
      return runWidget(typeof keyOrWidget === "number" ? keyOrWidget : 0);
    },
    render: function (container, parameters) {
      if (!parameters || parameters.sitekey !== V2_KEY) throw new Error("Invalid site key or not loaded in api.js: " + (parameters && parameters.sitekey));
      var element = typeof container === "string" ? document.getElementById(container) : container;
      var id = widgets.length;
      widgets.push(Object.assign({ response: "" }, parameters));
      if (parameters.size !== "invisible" && element) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "fake-recaptcha-checkbox";
        button.textContent = "I'm not a robot";
        button.onclick = function () { runWidget(id).catch(function () {}); };
        element.appendChild(button);
      }
      return id;
    },
    getResponse: function (id) { var widget = widgets[id || 0]; return widget ? widget.response : ""; },
    reset: function (id) { var widget = widgets[id || 0]; if (widget) widget.response = ""; }
  };
  window.grecaptcha = window.grecaptcha || {};
  Object.assign(window.grecaptcha, api);
  window.grecaptcha.enterprise = api;
})();
`;
}
