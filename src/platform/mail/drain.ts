/**
 * Waits for the sends already handed to an SMTP pool to settle, for at most `ms`; true when they
 * all did. A pool fails whatever is still queued when it closes, so accepted messages go out first,
 * but a server trickling its replies must not hold shutdown forever.
 */
export async function drainWithin(inFlight: Promise<unknown>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    Promise.allSettled(inFlight).then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return drained;
}
