/** Each value of an async iterable, mapped as it comes: for streamed exports. */
export async function* mapAsync<T, U>(
  source: AsyncIterable<T>,
  map: (value: T) => U,
): AsyncGenerator<U> {
  for await (const value of source) yield map(value);
}
