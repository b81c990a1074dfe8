import { citationsMarkdown, mediaContent, type Citation } from './answer-markdown.js';
import type { ChatEvent } from './chat-types.js';

/**
 * The assistant content of an answer exactly as a client receives it: text, images as markdown,
 * the sources list at the end. A client sends this text back in its next turn, so the same text
 * keys the conversation map.
 */
export class AnswerContent {
  #content = '';
  readonly #citations: Citation[] = [];

  /** Adds one event; reasoning and finish events do not change the content. */
  add(event: ChatEvent): void {
    switch (event.type) {
      case 'text-delta':
        this.#content += event.text;
        break;
      case 'image':
      case 'video':
        this.#content += mediaContent(event.type, event.url, this.#content !== '');
        break;
      case 'citation':
        this.#citations.push(event.title === undefined ? { url: event.url } : { url: event.url, title: event.title });
        break;
      default:
        break;
    }
  }

  /** The content so far, with the sources list appended. */
  get text(): string {
    return this.#content + citationsMarkdown(this.#citations);
  }

  /** The sources cited so far. */
  get citations(): readonly Citation[] {
    return this.#citations;
  }
}
