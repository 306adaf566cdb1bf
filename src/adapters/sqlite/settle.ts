/** Runs work as a promise that rejects with whatever the work throws. */
export function settle<T>(work: () => T | PromiseLike<T>): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}
