// The middle value of a benchmark's samples (the upper one of an even count): less moved than the mean by the odd run
// a shared machine's load spoils.
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
