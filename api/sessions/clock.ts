// Time, injected. The engine never reads the system clock itself: the app is given a Clock, production passes
// systemClock, and tests pass one they move forward (so 900 s of idleness take no time). There is no route, flag or
// variable that changes the clock of a running server.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
