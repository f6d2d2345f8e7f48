// A fake clock for code that takes `clock` and `sleep` functions: time moves only when the test
// moves it or the code sleeps, so retries and deadlines run instantly and the same way every run.
export class Clock {
  constructor(public now: number) {}
  readonly read = () => this.now;
  readonly sleep = async (ms: number) => {
    this.now += ms;
  };
}
