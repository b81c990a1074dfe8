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
 * An image in an answer, rendered as markdown content (OpenAI chat has no image output part).
 * @example imageMarkdown('https://x/y.png') // '![image](https://x/y.png)'
 */
export function imageMarkdown(url: string): string {
  return `![image](${linkTarget(url)})`;
}

/** The content an image adds to an answer: its markdown, on its own paragraph after earlier content. */
export function imageContent(url: string, hasContentBefore: boolean): string {
  return `${hasContentBefore ? '\n\n' : ''}${imageMarkdown(url)}`;
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
