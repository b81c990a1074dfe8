/**
 * Decodes a `*.chunks.txt` fixture (format in README.md): one JSON string literal per line whose
 * characters are bytes. Comment (`#`) and empty lines are skipped.
 */
export function decodeChunksFixture(text: string): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const value: unknown = JSON.parse(line);
    if (typeof value !== 'string') throw new Error(`chunks fixture line ${index + 1} is not a JSON string`);
    const bytes = new Uint8Array(value.length);
    for (let at = 0; at < value.length; at += 1) {
      const code = value.charCodeAt(at);
      if (code > 0xff) throw new Error(`chunks fixture line ${index + 1}: character ${at} is not a byte`);
      bytes[at] = code;
    }
    chunks.push(bytes);
  });
  return chunks;
}
