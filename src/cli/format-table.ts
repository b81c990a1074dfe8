/**
 * Lays rows out as a plain-text table: a header row, a dashed rule, then left-aligned columns
 * separated by two spaces. Widths count code points, so most names line up in a terminal.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const width = (text: string): number => [...text].length;
  const widths = header.map((title, column) => Math.max(width(title), ...rows.map((row) => width(row[column] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - width(cell)))).join('  ').trimEnd();
  return [line(header), line(widths.map((size) => '-'.repeat(size))), ...rows.map(line)].join('\n');
}
