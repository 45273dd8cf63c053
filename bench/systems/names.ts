/** System names as tables and targets print them, so every scenario spells them alike. */
export const systems = {
  rhodium: 'rhodium',
  rhodiumNoAsyncContext: 'rhodium, propagateAsyncContext: false',
  rhodiumAskStacks: 'rhodium, captureAskStacks: true',
  rhodiumThreads: 'rhodium worker pool',
  bare: 'bare baseline',
  xstate: 'xstate',
  nact: 'nact',
  effect: 'effect Queue',
  piscina: 'piscina',
  tinypool: 'tinypool',
  workerpool: 'workerpool',
} as const;

