// A wall clock that can be wrong, for the clock-step test, loaded with `node --require`:
// AUTHBIN_CLOCK_OFFSET_MS sets it ahead (positive) or behind (negative) from the start, and each
// SIGUSR2 steps it back by AUTHBIN_CLOCK_STEP_MS, as an NTP correction of a clock that ran ahead.
// Only Date.now moves, which is what authbin reads the time with; the monotonic clock does not.
'use strict';
const realNow = Date.now;
let offset = Number(process.env.AUTHBIN_CLOCK_OFFSET_MS ?? 0);
const step = Number(process.env.AUTHBIN_CLOCK_STEP_MS ?? 0);
Date.now = () => realNow() + offset;
process.on('SIGUSR2', () => {
  offset -= step;
  process.stdout.write(`clock-step: stepped back ${step} ms\n`);
});
