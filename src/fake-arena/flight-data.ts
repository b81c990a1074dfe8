import { jsonForScript } from './http-utils.js';

/** What the page's React Server Components payload carries (§9.1, §8.3). */
export interface FlightContent {
  buildId: string;
  /** Chunk paths (`static/chunks/….js`) of the `Evaluation` import row. */
  evaluationChunks: readonly string[];
  /** Wire model objects, or undefined for pages without models (`"$undefined"`). */
  models: readonly unknown[] | undefined;
  initialModelAId: string | null;
  user: Record<string, unknown> | null;
  /** Route segments, e.g. `["", "text", "direct"]`. */
  segments: readonly string[];
}

/** The flight text: one `<id>:<payload>` row per line, as Next.js streams it. */
export function buildFlightRows(content: FlightContent): { before: string; modelRow: string; after: string } {
  const chunkRefs = content.evaluationChunks.flatMap((path) => [path.replace(/^.*\/(\d+)-.*$/, '$1'), path]);
  const before = [
    `0:${JSON.stringify({ P: null, b: content.buildId, p: '', c: content.segments, i: false })}`,
    `2:I[88812,["1931","static/chunks/app/layout.js"],"ClientRoot"]`,
    `3:I[51234,["1931","static/chunks/app/layout.js"],"UserProvider"]`,
    `4:["$","$L3",null,{"user":${JSON.stringify(content.user)}}]`,
  ].join('\n') + '\n';
  const props = {
    initialModels: content.models ?? '$undefined',
    initialModelAId: content.models === undefined ? '$undefined' : content.initialModelAId,
    initialModelBId: null,
  };
  const modelRow = `5:["$","$L6",null,${JSON.stringify(props)}]\n`;
  const after = `6:I[46071,${JSON.stringify(chunkRefs)},"Evaluation"]\n`;
  return { before, modelRow, after };
}

/**
 * The `<script>self.__next_f.push([1,"…"])</script>` tags. The model row is split across two
 * pushes (inside the model list), as long rows are on the real site.
 */
export function renderFlightScripts(content: FlightContent): string {
  const { before, modelRow, after } = buildFlightRows(content);
  const middle = Math.floor(modelRow.length / 2);
  const pushes = [before + modelRow.slice(0, middle), modelRow.slice(middle) + after];
  return [
    '<script>(self.__next_f=self.__next_f||[]).push([0])</script>',
    ...pushes.map((text) => `<script>self.__next_f.push([1,${jsonForScript(text)}])</script>`),
  ].join('\n');
}
