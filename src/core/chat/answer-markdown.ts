/** A source cited by a search model. */
export interface Citation {
  url: string;
  title?: string;
}

/** Percent-encodes the characters that would end a markdown link target early. */
function linkTarget(url: string): string {
  return url.replace(/[()\s<>]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Generated media in an answer, rendered as markdown content (OpenAI chat has no media output
 * part): an image is shown inline, a video (which markdown cannot show) is a link to it.
 * @example mediaMarkdown('image', 'https://x/y.png') // '![image](https://x/y.png)'
 * @example mediaMarkdown('video', 'https://x/y.mp4') // '[video](https://x/y.mp4)'
 */
export function mediaMarkdown(kind: 'image' | 'video', url: string): string {
  return kind === 'image' ? `![image](${linkTarget(url)})` : `[video](${linkTarget(url)})`;
}

/** The content an image or video adds to an answer: its markdown, on its own paragraph after earlier content. */
export function mediaContent(kind: 'image' | 'video', url: string, hasContentBefore: boolean): string {
  return `${hasContentBefore ? '\n\n' : ''}${mediaMarkdown(kind, url)}`;
}

/**
 * Citations are sent once, after the answer text, as a markdown list of sources (not as a vendor
 * field: every OpenAI client shows content, few show extensions). Duplicate URLs are listed once.
 */
export function citationsMarkdown(citations: readonly Citation[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const citation of citations) {
    if (seen.has(citation.url)) continue;
    seen.add(citation.url);
    const title = (citation.title ?? citation.url).replace(/[[\]\r\n]/g, ' ').trim() || citation.url;
    lines.push(`${lines.length + 1}. [${title}](${linkTarget(citation.url)})`);
  }
  return lines.length === 0 ? '' : `\n\nSources:\n${lines.join('\n')}`;
}
