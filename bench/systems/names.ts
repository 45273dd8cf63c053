/** System names as tables and targets print them, so every scenario spells them alike. */
export const systems = {
  rhodium: 'rhodium',
  rhodiumNoAsyncContext: 'rhodium, propagateAsyncContext: false',
  rhodiumNoAskStacks: 'rhodium, captureAskStacks: false',
  rhodiumLean: 'rhodium, no ask stacks, no async context',
  rhodiumThreads: 'rhodium worker pool',
  bare: 'bare baseline',
  xstate: 'xstate',
  nact: 'nact',
  effect: 'effect Queue',
  piscina: 'piscina',
  tinypool: 'tinypool',
  workerpool: 'workerpool',
} as const;

/** The reason printed in place of rhodium's number in the thread-pool scenarios. */
export const rhodiumThreadsUnavailable = 'not yet available: rhodium worker threads are not built yet';
