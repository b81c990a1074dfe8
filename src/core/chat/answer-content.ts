import { citationsMarkdown, mediaContent, type Citation } from './answer-markdown.js';
import type { AnswerEvent } from './chat-types.js';

/**
 * The assistant content of an answer exactly as a client receives it, event by event: text as it
 * came, images as markdown images and videos as markdown links (each on its own paragraph after
 * earlier content), citations held back for the sources list at the end. The streaming encoder
 * sends each piece as it comes; {@link AnswerText} keeps the whole text. It keeps no text itself,
 * so a streamed text delta costs nothing beyond the delta.
 */
export class AnswerContent {
  #hasContent = false;
  readonly #citations: Citation[] = [];

  /**
   * The content one event adds (a text delta as it came, possibly empty), or `undefined` for an
   * event that adds none (reasoning, citation, finish). Citations are kept for {@link sources}.
   */
  add(event: AnswerEvent): string | undefined {
    switch (event.type) {
      case 'text-delta':
        if (event.text !== '') this.#hasContent = true;
        return event.text;
      case 'image':
      case 'video': {
        const piece = mediaContent(event.type, event.url, this.#hasContent);
        this.#hasContent = true;
        return piece;
      }
      case 'citation':
        this.#citations.push(event.title === undefined ? { url: event.url } : { url: event.url, title: event.title });
        return undefined;
      default:
        return undefined;
    }
  }

  /** The sources list the content ends with, from the citations so far (`''` when there are none). */
  sources(): string {
    return citationsMarkdown(this.#citations);
  }

  /** The sources cited so far. */
  get citations(): readonly Citation[] {
    return this.#citations;
  }
}

/**
 * The whole {@link AnswerContent} as one text, sources list included. A client sends this text back
 * in its next turn, so the same text keys the conversation map.
 */
export class AnswerText {
  readonly #content = new AnswerContent();
  #text = '';

  /** Adds one event; reasoning and finish events do not change the text. */
  add(event: AnswerEvent): void {
    const piece = this.#content.add(event);
    if (piece !== undefined) this.#text += piece;
  }

  /** The content so far, with the sources list appended. */
  get text(): string {
    return this.#text + this.#content.sources();
  }

  /** The sources cited so far. */
  get citations(): readonly Citation[] {
    return this.#content.citations;
  }
}
