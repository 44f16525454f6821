// The closed-loop load every API benchmark uses: `concurrency` workers repeat `op` until `seconds` pass; a false
// answer (an unexpected status) stops the run, since a throughput of failures means nothing.
export async function measure(
  seconds: number,
  concurrency: number,
  op: (worker: number, i: number) => Promise<boolean>,
): Promise<{ rps: number; n: number }> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        if (!(await op(worker, i))) throw new Error("unexpected status");
        done++;
      }
    }),
  );
  return { rps: done / seconds, n: done };
}
