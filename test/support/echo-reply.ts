/**
 * The fake LMArena's echo answer, spelled out independently of the fake's code so a change in
 * either is caught: `Echo #<turn>: <prompt> (history: <n> messages)`, a fixed Unicode sample, then
 * the default eight filler words.
 */
export function echoReply(prompt: string, options: { turn?: number; history?: number } = {}): string {
  const turn = options.turn ?? 1;
  const history = options.history ?? 0;
  return `Echo #${turn}: ${prompt} (history: ${history} messages) héllo — 你好 🙂 alpha café bravo naïve 日本語 charlie über 🙂`;
}
