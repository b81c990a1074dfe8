/** The part of a zod issue a message needs; issues of `zod` and `zod/mini` both fit. */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * One line naming each issue's path and what is wrong there, `path: message` joined by `; `
 * (`(root)` for the value itself). `limit` keeps the first few (@default all); `''` when there are
 * none.
 *
 * @example
 * const result = z.object({ name: z.string(), tags: z.array(z.string()) }).safeParse({ name: 1, tags: ['x', 2] });
 * formatZodIssues(result.error.issues);
 * // 'name: Invalid input: expected string, received number; tags.1: Invalid input: expected string, received number'
 */
export function formatZodIssues(issues: readonly IssueLike[], limit = Number.POSITIVE_INFINITY): string {
  return issues
    .slice(0, limit)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
