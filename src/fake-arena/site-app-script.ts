/**
 * The small "site app" of the conversation page `/c/<id>`: lists the messages and puts a Retry
 * button (`#retry-button`) on the last assistant message that does what the site does — mints a
 * `chat_retry` token and calls `PUT …/retry-evaluation-session-message/<sid>/messages/<mid>`
 * through `window.fetch` at click time, so an agent's fetch wrapper sees the ids — then renders
 * the streamed reply. Reads its data from `<script id="fake-session" type="application/json">`.
 */
export const SITE_APP_SCRIPT = `(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("fake-session").textContent);
  var list = document.getElementById("messages");
  var status = document.getElementById("retry-status");
  function lastAssistant() {
    for (var i = data.messages.length - 1; i >= 0; i -= 1) if (data.messages[i].role === "assistant") return data.messages[i];
    return null;
  }
  function render() {
    list.textContent = "";
    var last = lastAssistant();
    data.messages.forEach(function (message) {
      var item = document.createElement("li");
      item.className = "message " + message.role;
      item.setAttribute("data-message-id", message.id);
      var content = document.createElement("div");
      content.className = "content";
      content.textContent = message.content;
      item.appendChild(content);
      if (message === last) {
        var button = document.createElement("button");
        button.id = "retry-button";
        button.type = "button";
        button.textContent = "Retry";
        button.onclick = function () { retry(message, content, button); };
        item.appendChild(button);
      }
      list.appendChild(item);
    });
  }
  function whenRecaptcha(callback) {
    if (window.grecaptcha && window.grecaptcha.enterprise) window.grecaptcha.enterprise.ready(callback);
    else setTimeout(function () { whenRecaptcha(callback); }, 50);
  }
  function setStatus(text) { status.textContent = text; status.setAttribute("data-state", text.split(":")[0]); }
  function retry(message, content, button) {
    button.disabled = true;
    setStatus("streaming");
    whenRecaptcha(function () {
      window.grecaptcha.enterprise.execute(data.siteKey, { action: "chat_retry" }).then(function (token) {
        var path = "/nextjs-api/stream/retry-evaluation-session-message/" + data.sessionId + "/messages/" + message.id;
        return window.fetch(path, {
          method: "PUT",
          headers: { "Content-Type": "text/plain;charset=UTF-8" },
          body: JSON.stringify({ recaptchaV3Token: token }),
          credentials: "include"
        });
      }).then(function (response) {
        if (!response.ok) return response.text().then(function (text) { throw new Error(response.status + " " + text); });
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = "";
        var text = "";
        content.textContent = "";
        function pump() {
          return reader.read().then(function (result) {
            buffer += decoder.decode(result.value || new Uint8Array(), { stream: !result.done });
            var lines = buffer.split("\\n");
            buffer = lines.pop();
            lines.forEach(function (line) {
              var match = /^([ab])([0-9a-z]):(.*)$/.exec(line);
              if (match && match[2] === "0") { text += JSON.parse(match[3]); content.textContent = text; }
            });
            if (!result.done) return pump();
            message.content = text;
            return undefined;
          });
        }
        return pump();
      }).then(function () { setStatus("done"); }, function (error) { setStatus("error: " + error.message); })
        .then(function () { button.disabled = false; });
    });
  }
  render();
})();
`;
