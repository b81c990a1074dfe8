export { createHttpApp } from './create-http-app.js';
export type { OpenAIDependencies, FetchImage } from './openai-dependencies.js';
export { createAuthenticate } from './authenticate.js';
export type { AuthenticateOptions } from './authenticate.js';
export { renderError, toBridgeError } from './render-error.js';
export type { ErrorBodyWire, RenderedError } from './render-error.js';
export { DEFAULT_HEADERS_GRACE_MS } from './routes/chat-completions-route.js';
export { WARNINGS_HEADER } from './warning-headers.js';
