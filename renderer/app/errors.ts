/** How the UI's clients read errors from the shell API. */

/** An error's message in words. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
