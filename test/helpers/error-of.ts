/** What a promise settles to, as a value a test can compare: its error's code and message, or code 'ok'. */
export const errorOf = (p: Promise<unknown>): Promise<{ code: string; message: string }> =>
  p.then(
    () => ({ code: 'ok', message: '' }),
    (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
  );
