/** Levenshtein distance, case-insensitive, with one reused row (O(n·m) time, O(m) memory). */
export function editDistance(left: string, right: string): number {
  const a = left.toLowerCase();
  const b = right.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

const normalize = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Up to `limit` candidates nearest to `target` by edit distance over lowercase letters and digits
 * (so `gpt5` is next to `gpt-5`), nearest first; names containing the target rank before the rest.
 */
export function closestNames(target: string, candidates: Iterable<string>, limit = 5): string[] {
  const wanted = normalize(target);
  const scored = [...new Set(candidates)].map((name) => {
    const candidate = normalize(name);
    const contains = wanted !== '' && (candidate.includes(wanted) || wanted.includes(candidate));
    return { name, score: editDistance(wanted, candidate) - (contains ? 1000 : 0) };
  });
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}
